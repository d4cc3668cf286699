using System.Data.Common;
using Dapper;

namespace ClaimsOffice.Database.Notifications;

public static class NotificationChannels
{
    public const string InApp = "in_app";
    public const string Sms = "sms";
    public const string Email = "email";
}

public sealed record OutboxMessage
{
    public long Id { get; init; }
    public required string Channel { get; init; }
    public required string Recipient { get; init; }
    public long? CustomerId { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    /// <summary>One message per event: enqueuing the same key twice (a retried job) stores it once.</summary>
    public required string DedupeKey { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public string? LastError { get; init; }
}

/// <summary>
/// Notifications are written in the same transaction as the change they announce and delivered later
/// by the dispatcher, so a crash can delay a message but never lose it or invent one.
/// </summary>
public sealed class OutboxRepository(IDbConnectionFactory connections)
{
    private const string Columns = "id, channel, recipient, customer_id, subject, body, dedupe_key, created_at, attempts, next_attempt_at, delivered_at, last_error";

    private const string EnqueueSql = """
        INSERT INTO outbox_messages (channel, recipient, customer_id, subject, body, dedupe_key, created_at, attempts, next_attempt_at)
        VALUES (@Channel, @Recipient, @CustomerId, @Subject, @Body, @DedupeKey, @CreatedAt, 0, @CreatedAt)
        ON CONFLICT (dedupe_key) DO NOTHING
        """;

    public async Task EnqueueAsync(OutboxMessage message, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var statement = Enqueue(message);
        await tx.Connection!.ExecuteAsync(new CommandDefinition(statement.Sql, statement.Parameters, tx, cancellationToken: ct));
    }

    /// <summary>The enqueue as a statement, to send in one command with the audit entry that goes with it (see <see cref="Audit.AuditLog"/>).</summary>
    public static SqlStatement Enqueue(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parameters = new DynamicParameters();
        parameters.Add("Channel", message.Channel);
        parameters.Add("Recipient", message.Recipient);
        parameters.Add("CustomerId", message.CustomerId, System.Data.DbType.Int64);
        parameters.Add("Subject", message.Subject);
        parameters.Add("Body", message.Body);
        parameters.Add("DedupeKey", message.DedupeKey);
        parameters.Add("CreatedAt", message.CreatedAt);
        return new SqlStatement(EnqueueSql, parameters);
    }

    public async Task<IReadOnlyList<OutboxMessage>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {Columns} FROM outbox_messages
            WHERE delivered_at IS NULL AND next_attempt_at <= @now
            ORDER BY next_attempt_at, id LIMIT @limit
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<OutboxMessage>(new CommandDefinition(sql, new { now, limit }, cancellationToken: ct))];
    }

    /// <summary>Marks the messages delivered, in one statement.</summary>
    public async Task MarkDeliveredAsync(IReadOnlyCollection<long> ids, DateTimeOffset deliveredAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }
        var parameters = new DynamicParameters(new { deliveredAt });
        var sql = $"UPDATE outbox_messages SET delivered_at = @deliveredAt, attempts = attempts + 1, last_error = NULL WHERE id IN {SqlList.In(parameters, "id", ids)} AND delivered_at IS NULL";
        await using var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct));
    }

    public async Task MarkFailedAsync(long id, DateTimeOffset nextAttemptAt, string error, CancellationToken ct)
    {
        const string sql = "UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = @nextAttemptAt, last_error = @error WHERE id = @id AND delivered_at IS NULL";
        await using var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, nextAttemptAt, error }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<OutboxMessage>> ListForCustomerAsync(long customerId, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM outbox_messages WHERE customer_id = @customerId ORDER BY id";
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<OutboxMessage>(new CommandDefinition(sql, new { customerId }, cancellationToken: ct))];
    }
}
