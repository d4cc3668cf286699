using System.Data.Common;
using Dapper;

namespace ClaimsOffice.Worker.Import;

/// <summary>
/// PostgreSQL, a table that is empty: its secondary indexes, its unique constraints that nothing references
/// and its foreign keys are dropped inside the import's transaction and built again after the COPY, from their
/// own definitions in the catalogue (so exactly as the migrations made them). Building an index from a million
/// rows at once and checking a foreign key by one join cost the server about half of what the same work costs
/// row by row (docs/benchmarks.md). The rebuilt constraints check every row, so nothing is trusted that the
/// server has not checked. The price: from the start the import holds the table, and through its foreign keys
/// the tables it references, for itself (ACCESS EXCLUSIVE) until it commits; only worth it for an empty table.
/// </summary>
internal sealed class EmptyTableLoad
{
    private readonly IReadOnlyList<string> _rebuild;

    private EmptyTableLoad(IReadOnlyList<string> rebuild) => _rebuild = rebuild;

    private const string SortMemory = "256MB";

    // The primary key stays: other tables' foreign keys hang on it, and an identity fills it in order (cheap).
    // Step 1 indexes, 2 unique constraints, 3 foreign keys: each is built on what the step before left.
    private const string DeferrableSql = """
        SELECT format('DROP INDEX %s', i.indexrelid::regclass) AS drop_sql, pg_get_indexdef(i.indexrelid) AS rebuild_sql, 1 AS step
        FROM pg_index i
        WHERE i.indrelid = @table::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        UNION ALL
        SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
               format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)),
               CASE c.contype WHEN 'u' THEN 2 ELSE 3 END
        FROM pg_constraint c
        WHERE c.conrelid = @table::regclass
          AND (c.contype = 'f'
               OR (c.contype = 'u' AND NOT EXISTS (SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.conindid = c.conindid)))
        ORDER BY step, drop_sql
        """;

    /// <summary>
    /// Locks <paramref name="table"/> and, when it holds no row, drops what <see cref="RebuildAsync"/> builds again;
    /// null when the table has rows (the lock stays until the transaction ends, as every lock does).
    /// </summary>
    public static async Task<EmptyTableLoad?> BeginAsync(DbConnection connection, DbTransaction tx, string table, CancellationToken ct)
    {
        // Looked at without the lock first: a table with rows is the usual case after the first import, and waiting
        // for an exclusive lock there would stop every reader of it for nothing.
        if (!await IsEmptyAsync(connection, tx, table, ct))
        {
            return null;
        }
        await connection.ExecuteAsync(new CommandDefinition($"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE", transaction: tx, cancellationToken: ct));
        if (!await IsEmptyAsync(connection, tx, table, ct))
        {
            return null;
        }
        var parts = (await connection.QueryAsync<(string Drop, string Rebuild, int Step)>(new CommandDefinition(
            DeferrableSql, new { table }, tx, cancellationToken: ct))).ToList();
        foreach (var part in parts)
        {
            await connection.ExecuteAsync(new CommandDefinition(part.Drop, transaction: tx, cancellationToken: ct));
        }
        return new EmptyTableLoad([.. parts.Select(p => p.Rebuild)]);
    }

    /// <summary>Builds the indexes and constraints again over the rows now in the table (each checks them all).</summary>
    public async Task RebuildAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        // For this transaction only: with the default 64 MB the sorts of a million-row index spill to disk
        // (measured: 256 MB cut a fifth of the server's time for PaySim's indexes; docs/benchmarks.md).
        await connection.ExecuteAsync(new CommandDefinition($"SET LOCAL maintenance_work_mem = '{SortMemory}'", transaction: tx, cancellationToken: ct));
        foreach (var sql in _rebuild)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct, commandTimeout: 0));
        }
    }

    private static Task<bool> IsEmptyAsync(DbConnection connection, DbTransaction tx, string table, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition($"SELECT NOT EXISTS (SELECT 1 FROM {table})", transaction: tx, cancellationToken: ct));
}
