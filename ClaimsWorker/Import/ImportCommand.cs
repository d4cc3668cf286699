using System.Globalization;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Migrations;
using ClaimsOffice.Worker.Cli;
using ClaimsOffice.Worker.Hosting;
using Microsoft.Extensions.Configuration;

namespace ClaimsOffice.Worker.Import;

/// <summary><c>import</c>: loads canonical CSV files (docs/import-format.md) into the database, with a progress bar on stderr.</summary>
public static class ImportCommand
{
    public const string Usage = """
        usage: ClaimsWorker import [--customers <file>] [--transactions <file>] [--events <file>] [--skip-bad-rows]
          files are CSV in the canonical format (docs/import-format.md), plain or .gz; give at least one
          --skip-bad-rows              import the good rows and report the bad ones (default: any bad row refuses everything)
          --provider sqlite|postgres   default: the configured Database:Provider, else sqlite
          --connection <string>        default: ConnectionStrings:Claims, else the portal's embedded database
                                       (ClaimsPortal/App_Data/claims.db, or Portal:DataFolder)
        exit code: 0 imported, 1 refused (nothing imported), 2 bad options or a file not in the format
        """;

    public static async Task<int> RunAsync(CommandLine commandLine, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        if (commandLine.Has("help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        var request = new ImportRequest(
            PathOption(commandLine, "customers"), PathOption(commandLine, "transactions"), PathOption(commandLine, "events"), commandLine.Has("skip-bad-rows"));
        var database = ResolveDatabase(commandLine, Directory.GetCurrentDirectory());
        var connections = new DbConnectionFactory(database);
        await new Migrator(connections).MigrateAsync(dryRun: false, ct);
        Console.Error.WriteLine($"import into {Describe(database)}");

        ImportReport report;
        try
        {
            report = await new Importer(connections).ImportAsync(request, ConsoleImportProgress.ForStandardError(), ct);
        }
        catch (ImportFormatException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("Nothing was imported.");
            return 2;
        }
        catch (ImportConflictException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        foreach (var issue in report.Issues)
        {
            Console.Error.WriteLine(issue);
        }
        foreach (var file in report.Files)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{file.File}: {file.RowsRead:N0} rows read, {file.Imported:N0} imported, {file.AlreadyPresent:N0} already present, {file.BadRows:N0} bad; {file.Elapsed.TotalSeconds:N1} s, {file.RowsPerSecond:N0} rows/s"));
        }
        var bad = report.Files.Sum(f => f.BadRows);
        if (report.Refused)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"import refused: {bad:N0} bad row(s){(bad > report.Issues.Count ? $" (the first {report.Issues.Count} are listed)" : "")}. Nothing was imported. Fix the rows, or run again with --skip-bad-rows."));
            return 1;
        }
        Console.WriteLine(bad > 0
            ? string.Create(CultureInfo.InvariantCulture, $"import done; {bad:N0} bad row(s) skipped")
            : "import done");
        return 0;
    }

    /// <summary>
    /// --provider/--connection as for every command, then configuration (environment); with neither, the
    /// portal's embedded SQLite file, found from <paramref name="workingDirectory"/> as the portal would use it.
    /// </summary>
    public static DatabaseOptions ResolveDatabase(CommandLine commandLine, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(commandLine.ConfigurationOverrides())
            .Build();
        var provider = DatabaseOptions.ParseProvider(configuration[DatabaseServiceCollectionExtensions.ProviderKey]);
        if (provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(configuration.GetConnectionString(DatabaseServiceCollectionExtensions.ConnectionStringName)))
        {
            var configured = configuration[EmbeddedDatabase.DataFolderKey];
            var root = EmbeddedDatabase.FindPortalContentRoot(workingDirectory);
            if (string.IsNullOrWhiteSpace(configured) && root is null)
            {
                throw new ArgumentException("No database given and no ClaimsPortal folder found from here: pass --connection (or set Portal:DataFolder).");
            }
            var folder = EmbeddedDatabase.DataFolder(configured, root ?? workingDirectory);
            Directory.CreateDirectory(folder);
            return new DatabaseOptions(DatabaseProvider.Sqlite, EmbeddedDatabase.ConnectionString(folder));
        }
        return configuration.ReadDatabaseOptions();
    }

    private static string Describe(DatabaseOptions database)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            return "SQLite " + new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        }
        var pg = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
        return $"PostgreSQL {pg.Host}:{pg.Port}/{pg.Database}";
    }

    private static string? PathOption(CommandLine commandLine, string name)
    {
        if (!commandLine.Has(name))
        {
            return null;
        }
        var value = commandLine.Get(name);
        return string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"--{name} needs a file name.") : value;
    }
}
