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
    /// <summary>Null until the entry is sealed into the chain (PostgreSQL seals shortly after commit).</summary>
    public string? PrevHash { get; init; }
    public string? Hash { get; init; }
}

public sealed record AuditBacklog(long Entries);

internal sealed record ChainLink(long Seq, string Hash);

/// <summary>
/// Append-only, hash-chained audit log: each entry carries the hash of the one before it in the chain, so editing
/// or deleting any sealed entry breaks every hash after it. Appends happen inside the transaction of the change
/// they record. On SQLite, whose writers are serialized anyway, an entry is sealed (chained) in that transaction.
/// On PostgreSQL it is written unsealed and <see cref="SealPendingAsync"/> chains the committed entries shortly
/// after, so that writers never wait for each other's commit (ADR 0010).
/// </summary>
public sealed class AuditLog(IDbConnectionFactory connections)
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>How many entries one sealing transaction chains at most.</summary>
    public const int SealBatchSize = 2000;

    private const string Columns = "occurred_at, actor, action, entity_type, entity_id, data";
    private const string ChainHead = "SELECT chain_seq AS Seq, hash AS Hash FROM audit_log WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1";
    // Only sealers take this lock; writers never do.
    private const string SealerLock = "SELECT pg_advisory_xact_lock(7240001)";
    private const string Unsealed = $"SELECT id, {Columns} FROM audit_log WHERE chain_seq IS NULL ORDER BY id LIMIT @Batch";
    private const string Seal = """
        UPDATE audit_log a SET chain_seq = s.seq, prev_hash = s.prev, hash = s.hash
        FROM unnest(@Ids, @Seqs, @Prevs, @Hashes) AS s(id, seq, prev, hash)
        WHERE a.id = s.id AND a.chain_seq IS NULL
        """;

    private readonly SemaphoreSlim _appended = new(0, 1);

    public Task AppendAsync(AuditEntry entry, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return AppendAsync([entry], tx, ct);
    }

    /// <summary>Appends entries in order, in one statement.</summary>
    public Task AppendAsync(IReadOnlyList<AuditEntry> entries, DbTransaction tx, CancellationToken ct) =>
        AppendAsync(null, entries, tx, ct);

    /// <summary>
    /// Runs <paramref name="before"/> (the change the entries record, e.g. the message announcing it), then appends the
    /// entries in order: one command on PostgreSQL, so one round trip; on SQLite the statement and then the sealed append.
    /// The entries' parameters are @OccurredAtN, @ActorN, @ActionN, @EntityTypeN, @EntityIdN and @DataN.
    /// </summary>
    public async Task AppendAsync(SqlStatement? before, IReadOnlyList<AuditEntry> entries, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(tx);
        var connection = tx.Connection!;
        if (entries.Count == 0 || connections.Dialect.Provider != DatabaseProvider.Postgres)
        {
            if (before is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(before.Sql, before.Parameters, tx, cancellationToken: ct));
            }
            if (entries.Count > 0)
            {
                await AppendSealedAsync(entries, tx, ct);
            }
            return;
        }
        var parameters = new DynamicParameters();
        var values = new List<string>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            values.Add(string.Create(CultureInfo.InvariantCulture, $"(@OccurredAt{i}, @Actor{i}, @Action{i}, @EntityType{i}, @EntityId{i}, @Data{i})"));
            AddEntry(parameters, i, entries[i]);
        }
        var sql = $"INSERT INTO audit_log ({Columns}) VALUES {string.Join(", ", values)}";
        if (before is not null)
        {
            before.AddParametersTo(parameters);
            // Npgsql sends the statements of one command together and runs them in order; a failure stops the rest.
            sql = before.Sql.TrimEnd().TrimEnd(';') + ";\n" + sql;
        }
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
        NotifySealer();
    }

    /// <summary>SQLite: the write transaction already serializes appends, so the entries are sealed here.</summary>
    private static async Task AppendSealedAsync(IReadOnlyList<AuditEntry> entries, DbTransaction tx, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var parameters = new DynamicParameters();
        var values = new List<string>(entries.Count);
        var head = await connection.QuerySingleOrDefaultAsync<ChainLink>(new CommandDefinition(ChainHead, transaction: tx, cancellationToken: ct));
        var seq = head?.Seq ?? 0;
        var prevHash = head?.Hash ?? GenesisHash;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var hash = ComputeHash(prevHash, TruncateToMicroseconds(entry.OccurredAt), entry.Actor, entry.Action, entry.EntityType, entry.EntityId, entry.Data);
            values.Add(string.Create(CultureInfo.InvariantCulture, $"(@OccurredAt{i}, @Actor{i}, @Action{i}, @EntityType{i}, @EntityId{i}, @Data{i}, @Seq{i}, @PrevHash{i}, @Hash{i})"));
            AddEntry(parameters, i, entry);
            parameters.Add($"Seq{i}", ++seq);
            parameters.Add($"PrevHash{i}", prevHash);
            parameters.Add($"Hash{i}", hash);
            prevHash = hash;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO audit_log ({Columns}, chain_seq, prev_hash, hash) VALUES {string.Join(", ", values)}", parameters, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Chains every committed, unsealed entry after the chain's head, in id order, in transactions of at most
    /// <see cref="SealBatchSize"/> entries; returns how many it sealed. Sealers in several processes take turns.
    /// An entry whose transaction commits after a later entry was sealed goes after it in the chain: the chain
    /// records the order in which entries became visible, which keeps each claim's steps in order, since a step
    /// starts only after the one before it committed. Nothing to do on SQLite.
    /// </summary>
    public async Task<int> SealPendingAsync(CancellationToken ct)
    {
        if (connections.Dialect.Provider != DatabaseProvider.Postgres)
        {
            return 0;
        }
        var sealedCount = 0;
        while (true)
        {
            await using var connection = await connections.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using var read = await connection.QueryMultipleAsync(new CommandDefinition(
                $"{SealerLock}; {ChainHead}; {Unsealed}", new { Batch = SealBatchSize }, tx, cancellationToken: ct));
            await read.ReadAsync();
            var head = await read.ReadSingleOrDefaultAsync<ChainLink>();
            var pending = (await read.ReadAsync<AuditRecord>()).AsList();
            if (pending.Count == 0)
            {
                return sealedCount;
            }
            var seq = head?.Seq ?? 0;
            var prevHash = head?.Hash ?? GenesisHash;
            var ids = new long[pending.Count];
            var seqs = new long[pending.Count];
            var prevs = new string[pending.Count];
            var hashes = new string[pending.Count];
            for (var i = 0; i < pending.Count; i++)
            {
                var r = pending[i];
                ids[i] = r.Id;
                seqs[i] = ++seq;
                prevs[i] = prevHash;
                hashes[i] = prevHash = ComputeHash(prevHash, r.OccurredAt, r.Actor, r.Action, r.EntityType, r.EntityId, r.Data);
            }
            await connection.ExecuteAsync(new CommandDefinition(Seal, new { Ids = ids, Seqs = seqs, Prevs = prevs, Hashes = hashes }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            sealedCount += pending.Count;
            if (pending.Count < SealBatchSize)
            {
                return sealedCount;
            }
        }
    }

    /// <summary>Completes when an entry was appended in this process since the last call, or after the timeout.</summary>
    public Task<bool> WaitForAppendAsync(TimeSpan timeout, CancellationToken ct) => _appended.WaitAsync(timeout, ct);

    /// <summary>The number of entries not sealed yet.</summary>
    public async Task<AuditBacklog> GetBacklogAsync(CancellationToken ct)
    {
        const string sql = "SELECT COUNT(*) AS Entries FROM audit_log WHERE chain_seq IS NULL";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleAsync<AuditBacklog>(new CommandDefinition(sql, cancellationToken: ct));
    }

    private void NotifySealer()
    {
        try
        {
            _appended.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one sealing pass takes every entry committed by then.
        }
    }

    private static void AddEntry(DynamicParameters parameters, int i, AuditEntry entry)
    {
        // Both databases keep microseconds; hash exactly what is stored.
        parameters.Add($"OccurredAt{i}", TruncateToMicroseconds(entry.OccurredAt));
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

    /// <summary>
    /// Walks the sealed chain in order; returns the id of the first entry that does not match, or null when intact.
    /// Entries not sealed yet are not part of the chain (call <see cref="SealPendingAsync"/> first to include them).
    /// </summary>
    public async Task<long?> FindFirstBrokenEntryAsync(CancellationToken ct)
    {
        const string sql = "SELECT id, occurred_at, actor, action, entity_type, entity_id, data, prev_hash, hash FROM audit_log WHERE chain_seq IS NOT NULL ORDER BY chain_seq";
        await using var connection = await connections.OpenAsync(ct);
        var expectedPrev = GenesisHash;
        // Streamed: an unbuffered QueryAsync hands back a reader that SQLite has already closed.
        await foreach (var r in connection.QueryUnbufferedAsync<AuditRecord>(sql).WithCancellation(ct))
        {
            var hash = ComputeHash(r.PrevHash!, r.OccurredAt, r.Actor, r.Action, r.EntityType, r.EntityId, r.Data);
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

    private static string CanonicalRest(DateTimeOffset occurredAt, string actor, string action, string entityType, string entityId, string data) =>
        "\u001f" + string.Join('\u001f',
            occurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            actor, action, entityType, entityId, data);
}
