using Hangfire;
using Hangfire.Storage;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// Runs a piece of maintenance on one worker of the cluster at a time, under the job storage's distributed
/// lock; a worker that finds it taken skips this round (another one is doing it).
/// </summary>
internal static class ExclusiveRun
{
    /// <returns>False when another worker holds the lock.</returns>
    public static async Task<bool> TryRunAsync(JobStorage storage, string resource, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        IDisposable handle;
        using var connection = storage.GetConnection();
        try
        {
            handle = connection.AcquireDistributedLock("claims:" + resource, TimeSpan.Zero);
        }
        catch (DistributedLockTimeoutException)
        {
            return false;
        }
        catch (Exception ex) when (ex.GetType().Name.EndsWith("DistributedLockException", StringComparison.Ordinal))
        {
            // Hangfire.PostgreSql's own "lock is taken" exception.
            return false;
        }
        using (handle)
        {
            await work(ct);
        }
        return true;
    }
}
