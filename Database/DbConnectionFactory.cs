using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClaimsOffice.Database;

public sealed class DbConnectionFactory : IDbConnectionFactory
{
    private readonly string _connectionString;
    private readonly DatabaseOptions _options;

    static DbConnectionFactory()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        DapperTypeHandlers.Register();
    }

    public DbConnectionFactory(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Dialect = SqlDialect.For(options.Provider);
        _connectionString = options.ConnectionString;
        _options = options;
    }

    public SqlDialect Dialect { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = Dialect.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(_connectionString)
            : new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            if (Dialect.Provider == DatabaseProvider.Sqlite)
            {
                // Per-connection settings: enforce foreign keys and wait instead of failing when another writer holds the lock.
                await connection.ExecuteAsync("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;");
            }
            return connection;
        }
        catch (NpgsqlException ex) when (ex is not PostgresException || IsServerUnavailable((PostgresException)ex))
        {
            await connection.DisposeAsync();
            throw Unavailable(ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Server states in which no session can start: shutting down, starting up, out of connection slots.</summary>
    private static bool IsServerUnavailable(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.TooManyConnections;

    private DatabaseUnavailableException Unavailable(NpgsqlException ex)
    {
        var settings = new NpgsqlConnectionStringBuilder(_connectionString);
        var server = $"PostgreSQL at {settings.Host}:{settings.Port}";
        // Npgsql says "The connection pool has been exhausted" when no pooled connection came free within Timeout.
        if (ex is not PostgresException && ex.Message.Contains("pool has been exhausted", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseUnavailableException(
                $"All {settings.MaxPoolSize} connections of this process's database pool stayed busy for {settings.Timeout} s " +
                $"({server}, application '{settings.ApplicationName}'). The request was not carried out. If the database is slow, " +
                $"look there first; to allow more connections raise Database:MaxPoolSize (now {_options.MaxPoolSize}; an explicit " +
                "'Maximum Pool Size' in ConnectionStrings:Claims wins) within the connection budget in docs/runbook.md.", ex)
            {
                PoolExhausted = true,
            };
        }
        return ex is PostgresException { SqlState: PostgresErrorCodes.TooManyConnections }
            ? new DatabaseUnavailableException(
                $"{server} has no connection slots left ({ex.Message}). Some process holds more connections than the budget in " +
                "docs/runbook.md allows: list them with SELECT application_name, count(*) FROM pg_stat_activity GROUP BY 1.", ex)
            : new DatabaseUnavailableException(
                $"Cannot reach {server}: {ex.Message}. Nothing was written. Check that PostgreSQL is running and reachable " +
                "(pg_isready), then retry; claims already filed are kept and assessed once it is back.", ex);
    }
}
