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

    public Task AppendAsync(AuditEntry entry, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return AppendAsync([entry], tx, ct);
    }

    /// <summary>
    /// Appends entries in order. On PostgreSQL the chain lock is held from here to the commit, and every
    /// writer in the system waits for it: call this as the transaction's last statement, with all its
    /// entries at once (one round trip takes the lock and reads the head, one inserts).
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<AuditEntry> entries, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(tx);
        if (entries.Count == 0)
        {
            return;
        }
        const string last = "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1";
        const string columns = "occurred_at, actor, action, entity_type, entity_id, data, prev_hash, hash";
        var connection = tx.Connection!;
        var parameters = new DynamicParameters();
        if (connections.Dialect.AuditChainLock is { } lockSql)
        {
            // PostgreSQL: one round trip takes the lock and appends every entry, hashing in SQL what
            // ComputeHash hashes; statements of a batch run in order, each seeing the rows before it.
            // The lock is then held only until the commit, never across another client round trip.
            var batch = new StringBuilder(lockSql).Append(';');
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                var occurredAt = TruncateToMicroseconds(entry.OccurredAt);
                batch.Append(CultureInfo.InvariantCulture, $"""
                     INSERT INTO audit_log ({columns})
                    SELECT @OccurredAt{i}, @Actor{i}, @Action{i}, @EntityType{i}, @EntityId{i}, @Data{i}, h.prev, encode(sha256(convert_to(h.prev || @Rest{i}, 'UTF8')), 'hex')
                    FROM (SELECT COALESCE(({last}), @Genesis) AS prev) h;
                    """);
                AddEntry(parameters, i, entry, occurredAt);
                parameters.Add($"Rest{i}", CanonicalRest(occurredAt, entry.Actor, entry.Action, entry.EntityType, entry.EntityId, entry.Data));
            }
            parameters.Add("Genesis", GenesisHash);
            await connection.ExecuteAsync(new CommandDefinition(batch.ToString(), parameters, tx, cancellationToken: ct));
            return;
        }

        // SQLite: the write transaction already serializes appends.
        var prevHash = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(last, transaction: tx, cancellationToken: ct)) ?? GenesisHash;
        var values = new List<string>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            // Both databases keep microseconds; hash exactly what is stored.
            var occurredAt = TruncateToMicroseconds(entry.OccurredAt);
            var hash = ComputeHash(prevHash, occurredAt, entry.Actor, entry.Action, entry.EntityType, entry.EntityId, entry.Data);
            values.Add(string.Create(CultureInfo.InvariantCulture, $"(@OccurredAt{i}, @Actor{i}, @Action{i}, @EntityType{i}, @EntityId{i}, @Data{i}, @PrevHash{i}, @Hash{i})"));
            AddEntry(parameters, i, entry, occurredAt);
            parameters.Add($"PrevHash{i}", prevHash);
            parameters.Add($"Hash{i}", hash);
            prevHash = hash;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO audit_log ({columns}) VALUES {string.Join(", ", values)}", parameters, tx, cancellationToken: ct));
    }

    private static void AddEntry(DynamicParameters parameters, int i, AuditEntry entry, DateTimeOffset occurredAt)
    {
        parameters.Add($"OccurredAt{i}", occurredAt);
        parameters.Add($"Actor{i}", entry.Actor);
        parameters.Add($"Action{i}", entry.Action);
        parameters.Add($"EntityType{i}", entry.EntityType);
        parameters.Add($"EntityId{i}", entry.EntityId);
        parameters.Add($"Data{i}", entry.Data);
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
        // Streamed: an unbuffered QueryAsync hands back a reader that SQLite has already closed.
        await foreach (var r in connection.QueryUnbufferedAsync<AuditRecord>(sql).WithCancellation(ct))
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

    private static string ComputeHash(string prevHash, DateTimeOffset occurredAt, string actor, string action, string entityType, string entityId, string data) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prevHash + CanonicalRest(occurredAt, actor, action, entityType, entityId, data))));

    /// <summary>Everything hashed after the previous hash, starting with the separator (PostgreSQL hashes prev_hash || this).</summary>
    private static string CanonicalRest(DateTimeOffset occurredAt, string actor, string action, string entityType, string entityId, string data) =>
        "\u001f" + string.Join('\u001f',
            occurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            actor, action, entityType, entityId, data);
}
