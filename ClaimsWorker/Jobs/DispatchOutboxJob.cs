using ClaimsOffice.Worker.Notifications;
using Hangfire;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>Hangfire adapter: deliver due notifications, on one worker at a time (a message is sent once).</summary>
[AutomaticRetry(Attempts = 0)]
public sealed class DispatchOutboxJob(OutboxDispatcher dispatcher, JobStorage storage)
{
    public Task<bool> RunAsync(CancellationToken cancellationToken) =>
        ExclusiveRun.TryRunAsync(storage, "outbox", dispatcher.DispatchDueAsync, cancellationToken);
}
