using ClaimsOffice.Worker.Review;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// Registers the recurring jobs when a Hangfire server starts. AddOrUpdate is idempotent, so every worker may
/// do it; the storage keeps one schedule, and one worker runs each occurrence.
/// </summary>
public sealed class RecurringJobsRegistration(IRecurringJobManager recurringJobs, IOptions<ReviewOptions> review) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Daily at 03:00 UTC (noon in Tokyo), so finance sees the result during the working day.
        recurringJobs.AddOrUpdate<ReconcileLedgerJob>(ReconcileLedgerJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Daily(3),
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        // Checked here, so a bad interval stops the worker at start with the message rather than later.
        if (DetectCampaignsJob.Cron(review.Value.CampaignDetectionInterval) is { } every)
        {
            recurringJobs.AddOrUpdate<DetectCampaignsJob>(DetectCampaignsJob.Id, j => j.RunAsync(CancellationToken.None), every,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        else
        {
            recurringJobs.RemoveIfExists(DetectCampaignsJob.Id);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
