using System.Globalization;
using Dapper;

namespace ClaimsOffice.Database.Notifications;

public sealed record InboxMessage
{
    public long Id { get; init; }
    public long CustomerId { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; init; }
}

/// <summary>The victim's in-app inbox. Keyed by the outbox message, so a redelivery never shows a message twice.</summary>
public sealed class InboxRepository(IDbConnectionFactory connections)
{
    /// <summary>Puts the messages in their customers' inboxes in one statement; those already there are left alone.</summary>
    public async Task DeliverAsync(IReadOnlyList<OutboxMessage> messages, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }
        var parameters = new DynamicParameters(new { now });
        var rows = new List<string>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var customerId = message.CustomerId ?? throw new InvalidOperationException($"In-app message {message.Id} has no customer.");
            parameters.Add($"CustomerId{i}", customerId);
            parameters.Add($"Subject{i}", message.Subject);
            parameters.Add($"Body{i}", message.Body);
            parameters.Add($"Id{i}", message.Id);
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"(@CustomerId{i}, @Subject{i}, @Body{i}, @now, @Id{i})"));
        }
        var sql = $"""
            INSERT INTO inbox_messages (customer_id, subject, body, created_at, outbox_message_id)
            VALUES {string.Join(", ", rows)}
            ON CONFLICT (outbox_message_id) DO NOTHING
            """;
        await using var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<InboxMessage>> ListAsync(long customerId, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT id, customer_id, subject, body, created_at, read_at FROM inbox_messages
            WHERE customer_id = @customerId ORDER BY created_at DESC, id DESC LIMIT @limit
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<InboxMessage>(new CommandDefinition(sql, new { customerId, limit }, cancellationToken: ct))];
    }
}
