using ClaimsOffice.Database;
using ClaimsOffice.Worker.Cli;
using ClaimsOffice.Worker.Import;

namespace ClaimsOffice.Worker.Tests.Import;

public sealed class ImportCommandTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("claims-repo-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    [Fact]
    public void Without_database_options_the_import_writes_to_the_portals_embedded_database()
    {
        var portal = Directory.CreateDirectory(Path.Combine(_repo, "ClaimsPortal")).FullName;
        File.WriteAllText(Path.Combine(portal, "ClaimsPortal.csproj"), "<Project />");
        var nested = Directory.CreateDirectory(Path.Combine(_repo, "docs", "sub")).FullName;

        var options = ImportCommand.ResolveDatabase(new CommandLine(["import"]), nested);

        Assert.Equal(DatabaseProvider.Sqlite, options.Provider);
        Assert.Equal($"Data Source={Path.Combine(portal, "App_Data", "claims.db")}", options.ConnectionString);
    }

    [Fact]
    public void A_connection_given_on_the_command_line_wins()
    {
        var options = ImportCommand.ResolveDatabase(new CommandLine(["import", "--provider", "postgres", "--connection", "Host=db;Database=claims"]), _repo);

        Assert.Equal(DatabaseProvider.Postgres, options.Provider);
        Assert.Contains("Host=db", options.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_the_repository_and_without_options_it_asks_for_a_connection()
    {
        var e = Assert.Throws<ArgumentException>(() => ImportCommand.ResolveDatabase(new CommandLine(["import"]), _repo));

        Assert.Contains("--connection", e.Message, StringComparison.Ordinal);
    }
}
