using ClaimsOffice.Worker.Intake;
using ClaimsOffice.Worker.SignIn;
using Hangfire;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// The engine's queue on Hangfire: one background job per claim. A nudge wakes this process's maintenance loop
/// when it runs one, and otherwise (a portal that only enqueues) asks a worker for an outbox run at once.
/// </summary>
public sealed class HangfireAssessmentQueue(IBackgroundJobClient jobs, MaintenanceSignal? localMaintenance = null) : IAssessmentQueue, IOutboxNudge
{
    public Task EnqueueAsync(long claimId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        jobs.Enqueue<AssessClaimJob>(job => job.RunAsync(claimId, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task NudgeAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (localMaintenance is not null)
        {
            localMaintenance.NudgeOutbox();
        }
        else
        {
            jobs.Enqueue<DispatchOutboxJob>(job => job.RunAsync(CancellationToken.None));
        }
        return Task.CompletedTask;
    }
}
