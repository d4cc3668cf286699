using ClaimsOffice.Database.Claims;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Intake;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// Re-enqueues claims still Submitted <c>Worker:SweepAfter</c> after filing: a crash between the intake's commit
/// and its enqueue, a job that failed all its retries, or (embedded mode) a queue lost with the process.
/// One worker at a time; a claim enqueued twice is assessed once.
/// </summary>
public sealed class SweepSubmittedClaimsJob(ClaimRepository claims, IAssessmentQueue queue, JobStorage storage, IOptions<WorkerOptions> options, TimeProvider clock)
{
    public const int BatchSize = 500;

    public Task<bool> RunAsync(CancellationToken cancellationToken) => RunAsync(options.Value.SweepAfter, cancellationToken);

    /// <param name="olderThan">Zero at the start of an embedded worker: its in-memory queue died with the last process.</param>
    public Task<bool> RunAsync(TimeSpan olderThan, CancellationToken cancellationToken) =>
        ExclusiveRun.TryRunAsync(storage, "sweep", async ct =>
        {
            var stale = await claims.ListStaleSubmittedAsync(clock.GetUtcNow() - olderThan, BatchSize, ct);
            foreach (var claimId in stale)
            {
                await queue.EnqueueAsync(claimId, ct);
            }
        }, cancellationToken);
}
