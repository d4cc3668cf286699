using ClaimsOffice.Worker.Intake;
using ClaimsOffice.Worker.SignIn;
using Hangfire;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// The engine's queue on Hangfire: one background job per claim. A nudge wakes this process's maintenance loop
/// when it runs one, and otherwise (a portal that only enqueues) asks a worker for an outbox run at once.
/// </summary>
/// <param name="concurrentEnqueues">How many enqueues may run at once: the job storage's pool size
/// (<c>Worker:JobStorageMaxPoolSize</c>).</param>
public sealed class HangfireAssessmentQueue(IBackgroundJobClient jobs, int concurrentEnqueues, MaintenanceSignal? localMaintenance = null)
    : IAssessmentQueue, IOutboxNudge, IDisposable
{
    // Hangfire's client is synchronous: an enqueue blocks its thread, also while it waits for one of the job storage's
    // pooled connections. Callers beyond the pool's size wait here instead, without a thread, so a burst of filings cannot
    // tie up the thread pool their own database calls need (filings stalled for up to 13 s at 100 claims/s without this).
    private readonly SemaphoreSlim _enqueues = new(concurrentEnqueues, concurrentEnqueues);

    public Task EnqueueAsync(long claimId, CancellationToken ct) =>
        EnqueueAsync(() => jobs.Enqueue<AssessClaimJob>(job => job.RunAsync(claimId, CancellationToken.None)), ct);

    public Task NudgeAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (localMaintenance is not null)
        {
            localMaintenance.NudgeOutbox();
            return Task.CompletedTask;
        }
        return EnqueueAsync(() => jobs.Enqueue<DispatchOutboxJob>(job => job.RunAsync(CancellationToken.None)), ct);
    }

    private async Task EnqueueAsync(Action enqueue, CancellationToken ct)
    {
        await _enqueues.WaitAsync(ct);
        try
        {
            enqueue();
        }
        finally
        {
            _enqueues.Release();
        }
    }

    public void Dispose() => _enqueues.Dispose();
}
