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
    public async Task DeliverAsync(OutboxMessage message, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        const string sql = """
            INSERT INTO inbox_messages (customer_id, subject, body, created_at, outbox_message_id)
            VALUES (@CustomerId, @Subject, @Body, @now, @Id)
            ON CONFLICT (outbox_message_id) DO NOTHING
            """;
        if (message.CustomerId is null)
        {
            throw new InvalidOperationException($"In-app message {message.Id} has no customer.");
        }
        await using var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { message.CustomerId, message.Subject, message.Body, now, message.Id }, cancellationToken: ct));
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
