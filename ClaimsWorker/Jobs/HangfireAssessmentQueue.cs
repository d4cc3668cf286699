using System.Collections.Concurrent;
using System.Diagnostics;
using ClaimsOffice.Worker.Intake;
using ClaimsOffice.Worker.SignIn;
using Hangfire;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// The engine's queue on Hangfire: one background job per claim. A nudge wakes this process's maintenance loop
/// when it runs one, and otherwise (a portal that only enqueues) asks a worker for an outbox run at once.
/// </summary>
/// <remarks>
/// Hangfire's client is synchronous: an enqueue blocks its thread for its round trips, and also while it waits for one of
/// the job storage's pooled connections. On the thread pool a few of those at once starve the filings' own async database
/// calls: on two cores the pool starts with two threads and adds about one a second, and filing stalled for up to a second
/// at 50 claims/s (13 s at 100/s). So the enqueues run on threads of this queue's own, one per pooled connection, and a
/// caller awaits its enqueue without holding a thread (ADR 0005, "Enqueues on their own threads").
/// </remarks>
public sealed class HangfireAssessmentQueue : IAssessmentQueue, IOutboxNudge, IDisposable
{
    // In all, for the enqueues already asked for to finish at shutdown; the sweep re-enqueues any that do not.
    private static readonly TimeSpan DrainOnDispose = TimeSpan.FromSeconds(10);

    private readonly IBackgroundJobClient _jobs;
    private readonly MaintenanceSignal? _localMaintenance;
    private readonly BlockingCollection<PendingEnqueue> _pending = [];
    private readonly Thread[] _enqueuers;

    /// <param name="enqueueThreads">How many enqueues may run at once: the job storage's pool size
    /// (<c>Worker:JobStorageMaxPoolSize</c>), so none of them waits for a connection.</param>
    public HangfireAssessmentQueue(IBackgroundJobClient jobs, int enqueueThreads, MaintenanceSignal? localMaintenance = null)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentOutOfRangeException.ThrowIfLessThan(enqueueThreads, 1);
        _jobs = jobs;
        _localMaintenance = localMaintenance;
        _enqueuers = [.. Enumerable.Range(1, enqueueThreads).Select(i => new Thread(RunEnqueues) { IsBackground = true, Name = $"Hangfire enqueue {i}" })];
        foreach (var enqueuer in _enqueuers)
        {
            enqueuer.Start();
        }
    }

    public Task EnqueueAsync(long claimId, CancellationToken ct) =>
        EnqueueAsync(() => _jobs.Enqueue<AssessClaimJob>(job => job.RunAsync(claimId, CancellationToken.None)), ct);

    public Task NudgeAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (_localMaintenance is not null)
        {
            _localMaintenance.NudgeOutbox();
            return Task.CompletedTask;
        }
        return EnqueueAsync(() => _jobs.Enqueue<DispatchOutboxJob>(job => job.RunAsync(CancellationToken.None)), ct);
    }

    private Task EnqueueAsync(Action enqueue, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var pending = new PendingEnqueue(enqueue, ct);
        _pending.Add(pending, ct);
        // A caller that gives up stops waiting at once; its enqueue is skipped unless a thread has already started it.
        return pending.Done.Task.WaitAsync(ct);
    }

    private void RunEnqueues()
    {
        foreach (var pending in _pending.GetConsumingEnumerable())
        {
            if (pending.Cancellation.IsCancellationRequested)
            {
                pending.Done.TrySetCanceled(pending.Cancellation);
                continue;
            }
            try
            {
                pending.Enqueue();
                pending.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    public void Dispose()
    {
        _pending.CompleteAdding();
        var drain = Stopwatch.StartNew();
        foreach (var enqueuer in _enqueuers)
        {
            var left = DrainOnDispose - drain.Elapsed;
            enqueuer.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }

    private sealed record PendingEnqueue(Action Enqueue, CancellationToken Cancellation)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
