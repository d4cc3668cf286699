using ClaimsOffice.Database.Notifications;

namespace ClaimsOffice.Worker.Notifications;

/// <summary>
/// Delivers outbox messages on one channel. Must be idempotent per message id: a crash after delivery redelivers.
/// All or nothing for the batch as far as the dispatcher knows: when it throws, the dispatcher tries the messages
/// one at a time to find the one that fails.
/// </summary>
public interface INotificationChannel
{
    string Channel { get; }

    Task DeliverAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct);
}

public sealed class InAppInboxChannel(InboxRepository inbox, TimeProvider clock) : INotificationChannel
{
    public string Channel => NotificationChannels.InApp;

    public Task DeliverAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct) => inbox.DeliverAsync(messages, clock.GetUtcNow(), ct);
}

/// <summary>SMS or e-mail into the development mailbox page: embedded mode has no gateway.</summary>
public sealed class DevelopmentMailboxChannel(string channel, DevMailboxRepository mailbox, TimeProvider clock) : INotificationChannel
{
    public string Channel => channel;

    public async Task DeliverAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(messages);
        // Development only, a handful of sign-in codes: one row at a time is plenty.
        foreach (var message in messages)
        {
            await mailbox.DeliverAsync(message, clock.GetUtcNow(), ct);
        }
    }
}
