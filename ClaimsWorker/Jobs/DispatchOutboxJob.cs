using ClaimsOffice.Worker.Notifications;
using Quartz;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>Quartz adapter: deliver due notifications. One at a time across the cluster.</summary>
[DisallowConcurrentExecution]
public sealed class DispatchOutboxJob(OutboxDispatcher dispatcher) : IJob
{
    public static readonly JobKey Key = new("dispatch-outbox", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await dispatcher.DispatchDueAsync(cancellationToken);
}
