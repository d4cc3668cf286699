using ClaimsOffice.Database.Claims;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Intake;
using Hangfire;
using Hangfire.States;
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

    // Claims this worker re-enqueued, and when. A claim still queued behind a backlog (a burst) looks stale too;
    // without this it was enqueued again every SweepInterval, and each copy cost a whole job.
    private readonly Dictionary<long, DateTimeOffset> _requeued = [];

    public Task<bool> RunAsync(CancellationToken cancellationToken) => RunAsync(options.Value.SweepAfter, cancellationToken);

    /// <param name="olderThan">Zero at the start of an embedded worker: its in-memory queue died with the last process.</param>
    public Task<bool> RunAsync(TimeSpan olderThan, CancellationToken cancellationToken) =>
        ExclusiveRun.TryRunAsync(storage, "sweep", async ct =>
        {
            var now = clock.GetUtcNow();
            var stale = (await claims.ListStaleSubmittedAsync(Cutoff(now, olderThan), BatchSize, ct)).ToHashSet();
            lock (_requeued)
            {
                // Forget claims decided since (or re-enqueued long enough ago to be due again).
                foreach (var done in _requeued.Where(r => r.Value <= now - olderThan || !stale.Contains(r.Key)).Select(r => r.Key).ToList())
                {
                    _requeued.Remove(done);
                }
            }
            foreach (var claimId in stale)
            {
                lock (_requeued)
                {
                    if (!_requeued.TryAdd(claimId, now))
                    {
                        continue;
                    }
                }
                await queue.EnqueueAsync(claimId, ct);
            }
        }, cancellationToken);

    /// <summary>
    /// Claims submitted before this have been waiting long enough to count as lost. The queue is first in, first
    /// out: a claim submitted after the oldest job still waiting was filed while that job waited, so its own job
    /// may be waiting too. Under a backlog the cut-off therefore trails the head of the queue by the sweep age.
    /// </summary>
    private DateTimeOffset Cutoff(DateTimeOffset now, TimeSpan olderThan)
    {
        var cutoff = now - olderThan;
        var head = storage.GetMonitoringApi().EnqueuedJobs(EnqueuedState.DefaultQueue, 0, 1).FirstOrDefault().Value;
        if (head?.EnqueuedAt is { } enqueuedAt)
        {
            var headAge = new DateTimeOffset(DateTime.SpecifyKind(enqueuedAt, DateTimeKind.Utc)) - olderThan;
            cutoff = headAge < cutoff ? headAge : cutoff;
        }
        return cutoff;
    }
}
