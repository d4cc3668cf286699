using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace ClaimsOffice.Database.Migrations;

/// <summary>One numbered script, e.g. <c>0001_init.sql</c>, embedded in this assembly.</summary>
public sealed record MigrationScript(int Version, string Name, string Sql, string Checksum);

/// <summary>What <see cref="Migrator.MigrateAsync"/> did (or, on a dry run, would do).</summary>
public sealed record MigrationReport(IReadOnlyList<MigrationScript> Applied, IReadOnlyList<MigrationScript> Pending);

/// <summary>
/// Applies the embedded numbered .sql scripts for the connection's dialect, each in its own
/// transaction together with its journal row. Refuses to run when an applied script has changed.
/// </summary>
public sealed class Migrator(IDbConnectionFactory connections)
{
    private const int MigrationTimeoutSeconds = 60 * 60;

    private const string CreateJournalSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     INTEGER PRIMARY KEY,
            name        TEXT NOT NULL,
            checksum    TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        )
        """;

    // Settable properties, not a positional record: Dapper matches a constructor only when the column types are exactly
    // its parameter types, and the version column reads as Int64 on SQLite but Int32 on PostgreSQL.
    private sealed class JournalRow
    {
        public long Version { get; set; }

        public string Name { get; set; } = "";

        public string Checksum { get; set; } = "";
    }

    public static IReadOnlyList<MigrationScript> LoadScripts(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Migrations.{dialect.MigrationFolder}.";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..];
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(name[..underscore], out var version))
            {
                throw new InvalidOperationException($"Migration '{name}' must be named NNNN_description.sql.");
            }
            var sql = ReadResource(assembly, resource);
            scripts.Add(new MigrationScript(version, name, sql, Checksum(sql)));
        }
        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share number {duplicate.Key}.");
        }
        return [.. scripts.OrderBy(s => s.Version)];
    }

    public async Task<MigrationReport> MigrateAsync(bool dryRun, CancellationToken ct)
    {
        var scripts = LoadScripts(connections.Dialect);
        await using var connection = await connections.OpenAsync(ct);
        IReadOnlyList<MigrationScript> pending;
        // Under the lock, so two processes starting together do not both create the journal; a dry run rolls it back.
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await LockAsync(connection, tx, ct);
            await connection.ExecuteAsync(new CommandDefinition(CreateJournalSql, transaction: tx, cancellationToken: ct));
            pending = await PendingAsync(connection, scripts, tx, ct);
            if (dryRun)
            {
                await tx.RollbackAsync(ct);
                return new MigrationReport([], pending);
            }
            await tx.CommitAsync(ct);
        }

        var applied = new List<MigrationScript>();

        if (connections.Dialect.DatabaseSettings is { } settingsSql)
        {
            await connection.ExecuteAsync(new CommandDefinition(settingsSql, cancellationToken: ct));
        }
        foreach (var script in pending)
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await LockAsync(connection, tx, ct);
            // Another process may have applied it while we waited for the lock.
            var already = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @Version", new { script.Version }, tx, cancellationToken: ct));
            if (already > 0)
            {
                await tx.RollbackAsync(ct);
                continue;
            }
            // A script that builds an index over millions of rows runs for minutes; the statement default (30 s) would
            // roll it back on exactly the databases that need it.
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: tx, commandTimeout: MigrationTimeoutSeconds, cancellationToken: ct));
            }
            catch (DbException e)
            {
                throw new MigrationException(
                    $"Migration {script.Name} failed and was rolled back; the migrations before it stay applied. The database said: {e.Message}", e);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, @AppliedAt)",
                new { script.Version, script.Name, script.Checksum, AppliedAt = DateTimeOffset.UtcNow.ToString("O") }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            applied.Add(script);
        }
        return new MigrationReport(applied, []);
    }

    private async Task LockAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        if (connections.Dialect.MigrationLock is { } lockSql)
        {
            await connection.ExecuteAsync(new CommandDefinition(lockSql, transaction: tx, cancellationToken: ct));
        }
    }

    private static async Task<IReadOnlyList<MigrationScript>> PendingAsync(DbConnection connection, IReadOnlyList<MigrationScript> scripts, DbTransaction tx, CancellationToken ct)
    {
        var journal = (await connection.QueryAsync<JournalRow>(new CommandDefinition(
            "SELECT version, name, checksum FROM schema_migrations ORDER BY version", transaction: tx, cancellationToken: ct)))
            .ToDictionary(r => r.Version);
        foreach (var row in journal.Values)
        {
            var script = scripts.FirstOrDefault(s => s.Version == row.Version)
                ?? throw new MigrationException(
                    $"The database has migration {row.Version} ({row.Name}) that this build does not know. Refusing to run an older build against a newer schema.");
            if (script.Checksum != row.Checksum)
            {
                throw new MigrationException(
                    $"Migration {script.Name} was changed after it was applied (checksum {Short(row.Checksum)} in the journal, {Short(script.Checksum)} now). Add a new migration instead of editing an applied one.");
            }
        }
        return [.. scripts.Where(s => !journal.ContainsKey(s.Version))];
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Missing embedded migration {resource}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    private static string Short(string checksum) => checksum.Length <= 12 ? checksum : checksum[..12];

    private static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
}
