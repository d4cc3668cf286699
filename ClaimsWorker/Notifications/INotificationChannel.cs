using ClaimsOffice.Database.Notifications;

namespace ClaimsOffice.Worker.Notifications;

/// <summary>Delivers one outbox message on one channel. Must be idempotent per message id: a crash after delivery redelivers.</summary>
public interface INotificationChannel
{
    string Channel { get; }

    Task DeliverAsync(OutboxMessage message, CancellationToken ct);
}

public sealed class InAppInboxChannel(InboxRepository inbox, TimeProvider clock) : INotificationChannel
{
    public string Channel => NotificationChannels.InApp;

    public Task DeliverAsync(OutboxMessage message, CancellationToken ct) => inbox.DeliverAsync(message, clock.GetUtcNow(), ct);
}

/// <summary>SMS or e-mail into the development mailbox page: embedded mode has no gateway.</summary>
public sealed class DevelopmentMailboxChannel(string channel, DevMailboxRepository mailbox, TimeProvider clock) : INotificationChannel
{
    public string Channel => channel;

    public Task DeliverAsync(OutboxMessage message, CancellationToken ct) => mailbox.DeliverAsync(message, clock.GetUtcNow(), ct);
}
