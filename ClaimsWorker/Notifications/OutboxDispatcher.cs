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
    private const int MaxRoundsPerRun = 10;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);
    private readonly Dictionary<string, INotificationChannel> _channels = channels.ToDictionary(c => c.Channel, StringComparer.Ordinal);

    /// <returns>How many messages were delivered.</returns>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        var delivered = 0;
        // At 100 claims a second the engine writes 200 messages a second: keep going while batches come back full.
        for (var round = 0; round < MaxRoundsPerRun; round++)
        {
            var due = await outbox.ListDueAsync(clock.GetUtcNow(), BatchSize, ct);
            foreach (var group in due.GroupBy(m => m.Channel, StringComparer.Ordinal))
            {
                delivered += await DeliverAsync(group.Key, [.. group], ct);
            }
            if (due.Count < BatchSize)
            {
                break;
            }
        }
        return delivered;
    }

    /// <summary>The channel's messages in one call and one update; when that fails, one by one, so only the failing one waits.</summary>
    private async Task<int> DeliverAsync(string channelName, IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        if (!_channels.TryGetValue(channelName, out var channel))
        {
            var missing = new InvalidOperationException($"No '{channelName}' channel is configured on this node.");
            foreach (var message in messages)
            {
                await FailedAsync(message, missing, ct);
            }
            return 0;
        }
        if (messages.Count > 1)
        {
            try
            {
                await channel.DeliverAsync(messages, ct);
                await outbox.MarkDeliveredAsync([.. messages.Select(m => m.Id)], clock.GetUtcNow(), ct);
                return messages.Count;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Delivering {Count} '{Channel}' messages at once failed; trying them one by one", messages.Count, channelName);
            }
        }
        var delivered = 0;
        foreach (var message in messages)
        {
            try
            {
                await channel.DeliverAsync([message], ct);
                await outbox.MarkDeliveredAsync([message.Id], clock.GetUtcNow(), ct);
                delivered++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await FailedAsync(message, ex, ct);
            }
        }
        return delivered;
    }

    private async Task FailedAsync(OutboxMessage message, Exception ex, CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(Math.Min(MaxDelay.TotalSeconds, Math.Pow(2, message.Attempts + 1)));
        logger.LogWarning(ex, "Outbox message {MessageId} ({Channel}) failed on attempt {Attempt}; next try in {Delay}", message.Id, message.Channel, message.Attempts + 1, delay);
        await outbox.MarkFailedAsync(message.Id, clock.GetUtcNow() + delay, ex.Message, ct);
    }
}
