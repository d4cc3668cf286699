using System.Diagnostics;

namespace ClaimsOffice.TestKit;

/// <summary>Waits for background work with a deadline instead of guessing with sleeps.</summary>
public static class WaitFor
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it returns true or <paramref name="timeout"/> passes.</summary>
    /// <exception cref="TimeoutException">The condition was still false at the deadline.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        await UntilAsync(condition, timeout, what, () => "");

    /// <param name="explain">What the timeout message adds about the state at the deadline.</param>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string> explain)
    {
        ArgumentNullException.ThrowIfNull(explain);
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
                var detail = explain();
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}" + (detail.Length > 0 ? "; " + detail : ""));
            }
            await Task.Delay(PollInterval);
        }
    }
}
