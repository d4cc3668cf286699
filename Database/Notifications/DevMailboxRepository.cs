using Dapper;

namespace ClaimsOffice.Database.Notifications;

public sealed record DevMailboxMessage
{
    public long Id { get; init; }
    public required string Channel { get; init; }
    public required string Recipient { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// Where SMS and e-mail land when no gateway is configured (embedded and development mode), so a
/// person trying the product can read their sign-in code. Never used in production.
/// </summary>
public sealed class DevMailboxRepository(IDbConnectionFactory connections)
{
    public async Task DeliverAsync(OutboxMessage message, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        const string sql = """
            INSERT INTO dev_mailbox (channel, recipient, subject, body, created_at, outbox_message_id)
            VALUES (@Channel, @Recipient, @Subject, @Body, @now, @Id)
            ON CONFLICT (outbox_message_id) DO NOTHING
            """;
        await using var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { message.Channel, message.Recipient, message.Subject, message.Body, now, message.Id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<DevMailboxMessage>> ListRecentAsync(int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT id, channel, recipient, subject, body, created_at FROM dev_mailbox
            ORDER BY id DESC LIMIT @limit
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<DevMailboxMessage>(new CommandDefinition(sql, new { limit }, cancellationToken: ct))];
    }
}
