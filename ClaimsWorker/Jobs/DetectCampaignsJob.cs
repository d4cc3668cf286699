using System.Globalization;
using ClaimsOffice.Worker.Review;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// Hangfire adapter: campaign detection on a schedule (<c>Review:CampaignDetectionInterval</c>, registered by
/// <see cref="RecurringJobsRegistration"/>), so the queue's campaign filter and the claims' campaign tags follow an attack
/// within about a minute without anyone opening the Campaigns page.
/// </summary>
/// <remarks>
/// A recurring job rather than the maintenance loop (ADR 0005 keeps sub-minute work there): once a minute a job costs
/// little, the dashboard lists every run with its duration and error, and a long detection on a big queue does not hold
/// up the loop's outbox. One worker at a time (the job storage's lock): an occurrence that finds the previous one still
/// running skips. Not retried: the next occurrence is the retry; a failed run stays Failed on the dashboard.
/// </remarks>
[AutomaticRetry(Attempts = 0)]
public sealed class DetectCampaignsJob(CampaignService campaigns, JobStorage storage, ILogger<DetectCampaignsJob> logger)
{
    public const string Id = "detect-campaigns";

    /// <returns>False when another worker was already detecting.</returns>
    public Task<bool> RunAsync(CancellationToken cancellationToken) =>
        ExclusiveRun.TryRunAsync(storage, "campaigns", async ct =>
        {
            var tagged = await campaigns.DetectAsync(ct);
            if (tagged > 0)
            {
                logger.LogInformation("Campaign detection tagged {Claims} claims", tagged);
            }
        }, cancellationToken);

    /// <summary>
    /// The cron expression for an interval: whole seconds that divide a minute, or whole minutes that divide an hour
    /// (Hangfire's cron, with a seconds field below a minute). Null for zero: detection only when the page asks.
    /// </summary>
    /// <exception cref="ArgumentException">Any other interval, with what to set instead.</exception>
    public static string? Cron(TimeSpan interval)
    {
        if (interval == TimeSpan.Zero)
        {
            return null;
        }
        var seconds = interval.TotalSeconds;
        if (seconds is >= 1 and < 60 && seconds % 1 == 0 && 60 % seconds == 0)
        {
            return seconds == 1 ? "* * * * * *" : string.Create(CultureInfo.InvariantCulture, $"*/{seconds} * * * * *");
        }
        var minutes = interval.TotalMinutes;
        if (minutes is >= 1 and <= 60 && minutes % 1 == 0 && 60 % minutes == 0)
        {
            return minutes switch
            {
                1 => "* * * * *",
                60 => "0 * * * *",
                _ => string.Create(CultureInfo.InvariantCulture, $"*/{minutes} * * * *"),
            };
        }
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"Review:CampaignDetectionInterval is {interval}: use whole seconds that divide a minute (00:00:10, 00:00:30), whole minutes that divide an hour (00:01:00, 00:05:00), or 00:00:00 to run detection only from the Campaigns page."));
    }
}
