using ClaimsOffice.Database.Notifications;
using Microsoft.Extensions.Logging;

namespace ClaimsOffice.Worker.Notifications;

/// <summary>
/// Delivers due outbox messages through their channels. A failure is retried with growing delays
/// (2 s, 4 s, … up to an hour); a message on a channel nobody configured waits, visibly, with its error.
/// </summary>
public sealed class OutboxDispatcher(
    OutboxRepository outbox,
    IEnumerable<INotificationChannel> channels,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger)
{
    public const int BatchSize = 200;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);
    private readonly Dictionary<string, INotificationChannel> _channels = channels.ToDictionary(c => c.Channel, StringComparer.Ordinal);

    /// <returns>How many messages were delivered.</returns>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        var delivered = 0;
        var due = await outbox.ListDueAsync(clock.GetUtcNow(), BatchSize, ct);
        foreach (var message in due)
        {
            try
            {
                if (!_channels.TryGetValue(message.Channel, out var channel))
                {
                    throw new InvalidOperationException($"No '{message.Channel}' channel is configured on this node.");
                }
                await channel.DeliverAsync(message, ct);
                await outbox.MarkDeliveredAsync(message.Id, clock.GetUtcNow(), ct);
                delivered++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(MaxDelay.TotalSeconds, Math.Pow(2, message.Attempts + 1)));
                logger.LogWarning(ex, "Outbox message {MessageId} ({Channel}) failed on attempt {Attempt}; next try in {Delay}", message.Id, message.Channel, message.Attempts + 1, delay);
                await outbox.MarkFailedAsync(message.Id, clock.GetUtcNow() + delay, ex.Message, ct);
            }
        }
        return delivered;
    }
}
