using Hangfire;
using Microsoft.Extensions.Hosting;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// Registers the recurring jobs when a Hangfire server starts. AddOrUpdate is idempotent, so every worker may
/// do it; the storage keeps one schedule, and one worker runs each occurrence.
/// </summary>
public sealed class RecurringJobsRegistration(IRecurringJobManager recurringJobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Daily at 03:00 UTC (noon in Tokyo), so finance sees the result during the working day.
        recurringJobs.AddOrUpdate<ReconcileLedgerJob>(ReconcileLedgerJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Daily(3),
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
