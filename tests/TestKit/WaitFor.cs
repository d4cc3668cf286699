using System.Diagnostics;

namespace ClaimsOffice.TestKit;

/// <summary>Waits for background work with a deadline instead of guessing with sleeps.</summary>
public static class WaitFor
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it returns true or <paramref name="timeout"/> passes.</summary>
    /// <exception cref="TimeoutException">The condition was still false at the deadline.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return;
            }
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}");
            }
            await Task.Delay(PollInterval);
        }
    }
}
