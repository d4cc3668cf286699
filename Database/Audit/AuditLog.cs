using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace ClaimsOffice.Database.Audit;

public sealed record AuditEntry(string Actor, string Action, string EntityType, string EntityId, string Data, DateTimeOffset OccurredAt);

public sealed record AuditRecord
{
    public long Id { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public required string EntityType { get; init; }
    public required string EntityId { get; init; }
    public required string Data { get; init; }
    public required string PrevHash { get; init; }
    public required string Hash { get; init; }
}

/// <summary>
/// Append-only, hash-chained audit log: each entry carries the hash of the one before it, so editing
/// or deleting any entry breaks every hash after it. Appends happen inside the transaction of the
/// change they record.
/// </summary>
public sealed class AuditLog(IDbConnectionFactory connections)
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public async Task AppendAsync(AuditEntry entry, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tx);
        const string last = "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1";
        const string insert = """
            INSERT INTO audit_log (occurred_at, actor, action, entity_type, entity_id, data, prev_hash, hash)
            VALUES (@OccurredAt, @Actor, @Action, @EntityType, @EntityId, @Data, @PrevHash, @Hash)
            """;
        var connection = tx.Connection!;
        if (connections.Dialect.AuditChainLock is { } lockSql)
        {
            await connection.ExecuteAsync(new CommandDefinition(lockSql, transaction: tx, cancellationToken: ct));
        }
        var prevHash = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(last, transaction: tx, cancellationToken: ct)) ?? GenesisHash;
        // Both databases keep microseconds; hash exactly what is stored.
        var occurredAt = TruncateToMicroseconds(entry.OccurredAt);
        var hash = ComputeHash(prevHash, occurredAt, entry.Actor, entry.Action, entry.EntityType, entry.EntityId, entry.Data);
        await connection.ExecuteAsync(new CommandDefinition(insert, new
        {
            OccurredAt = occurredAt,
            entry.Actor,
            entry.Action,
            entry.EntityType,
            entry.EntityId,
            entry.Data,
            PrevHash = prevHash,
            Hash = hash,
        }, tx, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<AuditRecord>> ListForEntityAsync(string entityType, string entityId, CancellationToken ct)
    {
        const string sql = """
            SELECT id, occurred_at, actor, action, entity_type, entity_id, data, prev_hash, hash
            FROM audit_log WHERE entity_type = @entityType AND entity_id = @entityId ORDER BY id
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<AuditRecord>(new CommandDefinition(sql, new { entityType, entityId }, cancellationToken: ct))];
    }

    /// <summary>Walks the whole chain; returns the id of the first entry that does not match, or null when intact.</summary>
    public async Task<long?> FindFirstBrokenEntryAsync(CancellationToken ct)
    {
        const string sql = "SELECT id, occurred_at, actor, action, entity_type, entity_id, data, prev_hash, hash FROM audit_log ORDER BY id";
        await using var connection = await connections.OpenAsync(ct);
        var expectedPrev = GenesisHash;
        // Buffered: an unbuffered QueryAsync disposes its command on return, which closes the SQLite reader before the walk.
        foreach (var r in await connection.QueryAsync<AuditRecord>(new CommandDefinition(sql, cancellationToken: ct)))
        {
            var hash = ComputeHash(r.PrevHash, r.OccurredAt, r.Actor, r.Action, r.EntityType, r.EntityId, r.Data);
            if (r.PrevHash != expectedPrev || r.Hash != hash)
            {
                return r.Id;
            }
            expectedPrev = r.Hash;
        }
        return null;
    }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset t) =>
        new(t.UtcTicks - (t.UtcTicks % 10), TimeSpan.Zero);

    private static string ComputeHash(string prevHash, DateTimeOffset occurredAt, string actor, string action, string entityType, string entityId, string data)
    {
        var canonical = string.Join('\u001f', prevHash,
            occurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            actor, action, entityType, entityId, data);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
