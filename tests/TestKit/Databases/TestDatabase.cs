using System.Security.Cryptography;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Migrations;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClaimsOffice.TestKit.Databases;

/// <summary>
/// A fresh database of its own for one test, dropped on dispose.
/// <see cref="CreateAsync"/> gives a fully migrated, empty database quickly: the schema is migrated
/// once per test run into a template (a SQLite file, a PostgreSQL template database) and copied per test.
/// <see cref="CreateEmptyAsync"/> gives a database without any schema, for migration tests.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string SqliteFolder = Path.Combine(Path.GetTempPath(), "claims-tests", $"{Environment.ProcessId}-{RandomSuffix()}");
    private static readonly Lazy<Task<string>> SqliteTemplate = new(CreateSqliteTemplateAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Task<string>> PostgresTemplate = new(CreatePostgresTemplateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string? _sqlitePath;
    private readonly string? _postgresDatabase;
    private int _disposed;

    static TestDatabase() => AppDomain.CurrentDomain.ProcessExit += (_, _) => CleanUpTemplates();

    private TestDatabase(DatabaseKind kind, string connectionString, string? sqlitePath, string? postgresDatabase)
    {
        Kind = kind;
        ConnectionString = connectionString;
        Options = new DatabaseOptions(kind.ToProvider(), connectionString);
        Connections = new DbConnectionFactory(Options);
        Dialect = Connections.Dialect;
        _sqlitePath = sqlitePath;
        _postgresDatabase = postgresDatabase;
    }

    public DatabaseKind Kind { get; }

    public string ConnectionString { get; }

    public DatabaseOptions Options { get; }

    public IDbConnectionFactory Connections { get; }

    public SqlDialect Dialect { get; }

    /// <summary>A new database with every migration applied and no rows.</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind, CancellationToken ct = default)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            var template = await SqliteTemplate.Value.WaitAsync(ct);
            var path = NewSqlitePath();
            File.Copy(template, path);
            return new TestDatabase(kind, SqliteConnectionString(path), path, null);
        }
        var templateName = await PostgresTemplate.Value.WaitAsync(ct);
        return await CreatePostgresAsync(templateName, ct);
    }

    /// <summary>A new database with nothing in it: no tables, no migration journal.</summary>
    public static Task<TestDatabase> CreateEmptyAsync(DatabaseKind kind, CancellationToken ct = default)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            var path = NewSqlitePath();
            return Task.FromResult(new TestDatabase(kind, SqliteConnectionString(path), path, null));
        }
        return CreatePostgresAsync("template0", ct);
    }

    /// <summary>True when a table of that name exists (asks the catalog, so it works on an empty database).</summary>
    public async Task<bool> TableExistsAsync(string table, CancellationToken ct = default)
    {
        var sql = Dialect.Provider == DatabaseProvider.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table";
        await using var connection = await Connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { table }, cancellationToken: ct)) > 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        if (_sqlitePath is not null)
        {
            // The factory's pool is keyed by the options' normalized connection string.
            using (var connection = new SqliteConnection(Options.ConnectionString))
            {
                SqliteConnection.ClearPool(connection);
            }
            DeleteSqliteFiles(_sqlitePath);
        }
        else if (_postgresDatabase is not null)
        {
            await using (var connection = new NpgsqlConnection(Options.ConnectionString))
            {
                NpgsqlConnection.ClearPool(connection);
            }
            await using var admin = new NpgsqlConnection(PostgresServer.AdminConnectionString);
            await admin.OpenAsync();
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)");
        }
    }

    private static async Task<TestDatabase> CreatePostgresAsync(string template, CancellationToken ct)
    {
        var name = $"test_{RandomSuffix()}";
        await using (var admin = new NpgsqlConnection(PostgresServer.AdminConnectionString))
        {
            await admin.OpenAsync(ct);
            await admin.ExecuteAsync(new CommandDefinition($"CREATE DATABASE {name} TEMPLATE {template}", cancellationToken: ct));
        }
        return new TestDatabase(DatabaseKind.Postgres, PostgresServer.ConnectionStringFor(name), null, name);
    }

    private static async Task<string> CreateSqliteTemplateAsync()
    {
        Directory.CreateDirectory(SqliteFolder);
        var path = Path.Combine(SqliteFolder, "template.db");
        var connectionString = SqliteConnectionString(path);
        var factory = new DbConnectionFactory(new DatabaseOptions(DatabaseProvider.Sqlite, connectionString));
        await new Migrator(factory).MigrateAsync(dryRun: false, CancellationToken.None);
        await using (var connection = await factory.OpenAsync(CancellationToken.None))
        {
            // The schema puts the file in WAL mode: move everything into the main file before copying it.
            await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        SqliteConnection.ClearAllPools();
        return path;
    }

    private static async Task<string> CreatePostgresTemplateAsync()
    {
        var name = $"claims_template_{RandomSuffix()}";
        await using (var admin = new NpgsqlConnection(PostgresServer.AdminConnectionString))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"CREATE DATABASE {name} TEMPLATE template0");
        }
        var options = new DatabaseOptions(DatabaseProvider.Postgres, PostgresServer.ConnectionStringFor(name));
        await new Migrator(new DbConnectionFactory(options)).MigrateAsync(dryRun: false, CancellationToken.None);
        // CREATE DATABASE ... TEMPLATE refuses a template that has open connections.
        await using (var connection = new NpgsqlConnection(options.ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        return name;
    }

    /// <summary>Best effort at process exit: drop the PostgreSQL template and the SQLite folder.</summary>
    private static void CleanUpTemplates()
    {
        try
        {
            if (PostgresTemplate.IsValueCreated && PostgresTemplate.Value.IsCompletedSuccessfully)
            {
                using var admin = new NpgsqlConnection(PostgresServer.AdminConnectionString);
                admin.Open();
                admin.Execute($"DROP DATABASE IF EXISTS {PostgresTemplate.Value.Result} WITH (FORCE)", commandTimeout: 10);
            }
        }
        catch (NpgsqlException)
        {
            // The server may already be gone; a throwaway server takes its databases with it.
        }
        try
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(SqliteFolder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string NewSqlitePath()
    {
        Directory.CreateDirectory(SqliteFolder);
        return Path.Combine(SqliteFolder, $"test-{RandomSuffix()}.db");
    }

    private static string SqliteConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path }.ToString();

    private static void DeleteSqliteFiles(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
    }

    private static string RandomSuffix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
