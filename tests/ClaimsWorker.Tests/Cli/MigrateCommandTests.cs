using System.Diagnostics;
using ClaimsOffice.Database.Migrations;
using ClaimsOffice.TestKit.Databases;

namespace ClaimsOffice.Worker.Tests.Cli;

public sealed class MigrateCommandTests
{
    [DatabaseTheory]
    public async Task An_edited_migration_stops_migrate_with_the_reason_and_no_stack_trace(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var first = Migrator.LoadScripts(db.Dialect)[0];
        await db.ExecuteAsync("UPDATE schema_migrations SET checksum = 'x' WHERE version = @Version", new { first.Version });

        var (exitCode, output) = await RunWorkerAsync("migrate", "--provider", kind == DatabaseKind.Sqlite ? "sqlite" : "postgres", "--connection", db.ConnectionString);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"error: Migration {first.Name} was changed after it was applied", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunWorkerAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ClaimsWorker.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stderr) + (await stdout));
    }
}
