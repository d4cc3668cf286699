using ClaimsOffice.Database.Claims;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Intake;
using Microsoft.Extensions.Options;
using Quartz;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>Re-enqueues claims still Submitted a few seconds after filing: a crash between commit and enqueue loses nothing.</summary>
[DisallowConcurrentExecution]
public sealed class SweepSubmittedClaimsJob(ClaimRepository claims, IAssessmentQueue queue, IOptions<WorkerOptions> options, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("sweep-submitted-claims", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var stale = await claims.ListStaleSubmittedAsync(clock.GetUtcNow() - options.Value.SweepAfter, 500, cancellationToken);
        foreach (var claimId in stale)
        {
            await queue.EnqueueAsync(claimId, cancellationToken);
        }
    }
}
