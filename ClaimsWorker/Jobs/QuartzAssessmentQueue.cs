using System.Globalization;
using ClaimsOffice.Worker.Intake;
using ClaimsOffice.Worker.SignIn;
using Quartz;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// Enqueues an assessment as a durable one-off Quartz job keyed by claim, so enqueuing the same claim
/// twice (the sweep, a retry) stores one job. RequestRecovery re-runs it on another node if this one dies.
/// </summary>
public sealed class QuartzAssessmentQueue(ISchedulerFactory schedulers, TimeProvider clock) : IAssessmentQueue, IOutboxNudge
{
    public async Task EnqueueAsync(long claimId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<AssessClaimJob>()
            .WithIdentity(AssessClaimJob.KeyFor(claimId))
            .UsingJobData(AssessClaimJob.ClaimIdKey, claimId.ToString(CultureInfo.InvariantCulture))
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create(clock)
            .WithIdentity($"claim-{claimId}", AssessClaimJob.Group)
            .StartNow()
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Already queued or running: one assessment per claim is enough.
        }
    }

    public async Task NudgeAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        try
        {
            await scheduler.TriggerJob(DispatchOutboxJob.Key, cancellationToken: ct);
        }
        catch (JobPersistenceException)
        {
            // The recurring dispatcher delivers within its interval anyway.
        }
    }
}
