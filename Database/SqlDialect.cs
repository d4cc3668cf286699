namespace ClaimsOffice.Database;

/// <summary>
/// The few places where SQLite and PostgreSQL differ. Everything else is portable SQL
/// (lower_snake_case, RETURNING, partial indexes and ON CONFLICT work on both).
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(DatabaseProvider.Sqlite);
    public static readonly SqlDialect Postgres = new(DatabaseProvider.Postgres);

    private SqlDialect(DatabaseProvider provider) => Provider = provider;

    public DatabaseProvider Provider { get; }

    public string MigrationFolder => Provider == DatabaseProvider.Sqlite ? "Sqlite" : "Postgres";

    /// <summary>
    /// Persistent database settings the migrator applies before the scripts, outside any transaction
    /// (SQLite cannot switch to WAL inside one).
    /// </summary>
    public string? DatabaseSettings => Provider == DatabaseProvider.Sqlite
        ? "PRAGMA journal_mode = WAL"
        : null;

    /// <summary>Serializes migration runs across processes that start at the same time.</summary>
    public string? MigrationLock => Provider == DatabaseProvider.Postgres
        ? "SELECT pg_advisory_xact_lock(7240002)"
        : null;

    /// <summary>True when the error is a unique-constraint violation (the database said "this already exists").</summary>
    public bool IsUniqueViolation(Exception exception) => exception switch
    {
        Npgsql.PostgresException pg => pg.SqlState == "23505",
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19 &&
            (sqlite.SqliteExtendedErrorCode == 2067 || sqlite.SqliteExtendedErrorCode == 1555),
        _ => false,
    };

    public static SqlDialect For(DatabaseProvider provider) =>
        provider == DatabaseProvider.Sqlite ? Sqlite : Postgres;
}
