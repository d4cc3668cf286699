using ClaimsOffice.Database.Migrations;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Seeding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClaimsOffice.Worker.Cli;

public static class WorkerCommands
{
    public static readonly string Usage = $"""
        usage: ClaimsWorker [command] [options]
          run                      host the worker (default): a Hangfire server for assessment jobs, plus the sweep and outbox loop
          migrate [--dry-run]      apply the database migrations (or list what would run)
          seed [--customers N]     create the demo data on an empty database
          bench [options]          file claims at a steady rate and report latency (see docs/benchmarks.md)
          import [options]         load customers, transactions and events from CSV (see docs/import-format.md)
          convert [options]        turn a labelled dataset into the import format plus claims.csv (docs/import-format.md)
          evaluate --claims <claims.csv> [--limit N] [--part k/n] [--skip-bad-rows]
                                   file labelled claims through the intake on a simulated clock and score the engine
        {Assessment.RuleSets.RulesCommand.Usage}
          bench queue [--claims N] seed N claims in review and time the review queue's queries
                                   (--detect N: time campaign detection instead)
        options for every command:
          --provider sqlite|postgres   (or Database:Provider)
          --connection <string>        (or ConnectionStrings:Claims)
        """;

    public static async Task<int> RunAsync(CommandLine commandLine, string[] args)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var subcommandAllowed = commandLine.Command == "rules" || (commandLine.Command == "bench" && commandLine.Subcommand == "queue");
        if (!subcommandAllowed && commandLine.Positionals.Count > 0)
        {
            throw new ArgumentException($"Unexpected argument '{commandLine.Positionals[0]}'. Options look like --name value.");
        }
        switch (commandLine.Command)
        {
            case "run":
                await BuildHost(commandLine, args, inProcess: true).RunAsync();
                return 0;
            case "migrate":
                return await MigrateAsync(commandLine, args);
            case "seed":
                return await SeedAsync(commandLine, args);
            case "bench" when commandLine.Subcommand == "queue":
                return await Bench.QueueBench.RunAsync(commandLine);
            case "bench":
                return await Bench.BenchCommand.RunAsync(commandLine);
            case "import":
                return await Import.ImportCommand.RunAsync(commandLine, CancellationToken.None);
            case "convert":
                return await Import.Convert.ConvertCommand.RunAsync(commandLine, CancellationToken.None);
            case "rules":
                return await RunToolAsync(commandLine, args, sp => Assessment.RuleSets.RulesCommand.RunAsync(sp, commandLine, CancellationToken.None));
            case "evaluate":
                return await Evaluation.EvaluateCommand.RunAsync(commandLine, args);
            case "help" or "--help":
                Console.WriteLine(Usage);
                return 0;
            default:
                throw new ArgumentException($"Unknown command '{commandLine.Command}'.");
        }
    }

    public static IHost BuildHost(CommandLine commandLine, string[] args, bool inProcess, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        // No watcher on the content root for appsettings changes: nothing here reloads options, and the recursive
        // watcher cost a bench or worker started from a busy folder (/tmp) ~8% of its CPU (perf, docs/benchmarks.md).
        var settings = new HostApplicationBuilderSettings { Args = args.Length > 0 && args[0] == commandLine.Command ? args[1..] : args, Configuration = new ConfigurationManager() };
        settings.Configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
        var builder = Host.CreateApplicationBuilder(settings);
        builder.Configuration.AddInMemoryCollection(commandLine.ConfigurationOverrides());
        builder.Configuration.AddInMemoryCollection([new("Worker:InProcess", inProcess ? "true" : "false")]);
        var database = builder.Configuration.ReadDatabaseOptions();
        builder.Services.AddClaimsWorker(builder.Configuration, database);
        builder.Services.AddHostedService<MigrateOnStart>();
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>A one-shot command over the engine's services on a migrated database; the host is never started.</summary>
    private static async Task<int> RunToolAsync(CommandLine commandLine, string[] args, Func<IServiceProvider, Task<int>> run)
    {
        using var host = BuildHost(commandLine, args, inProcess: false);
        await host.Services.GetRequiredService<Migrator>().MigrateAsync(false, CancellationToken.None);
        return await run(host.Services);
    }

    private static async Task<int> MigrateAsync(CommandLine commandLine, string[] args)
    {
        using var host = BuildHost(commandLine, args, inProcess: false);
        var migrator = host.Services.GetRequiredService<Migrator>();
        var dryRun = commandLine.Has("dry-run");
        var report = await migrator.MigrateAsync(dryRun, CancellationToken.None);
        foreach (var script in dryRun ? report.Pending : report.Applied)
        {
            Console.WriteLine($"{(dryRun ? "would apply" : "applied")} {script.Name} ({script.Checksum[..12]})");
        }
        Console.WriteLine(dryRun ? $"{report.Pending.Count} migration(s) pending" : $"{report.Applied.Count} migration(s) applied; schema is current");
        return 0;
    }

    private static async Task<int> SeedAsync(CommandLine commandLine, string[] args)
    {
        using var host = BuildHost(commandLine, args, inProcess: false);
        await host.Services.GetRequiredService<Migrator>().MigrateAsync(false, CancellationToken.None);
        var seeder = ActivatorUtilities.CreateInstance<DemoDataSeeder>(host.Services);
        var report = await seeder.SeedAsync(new DemoSeedOptions(Customers: commandLine.GetInt("customers", 1000, 10, 1_000_000)), CancellationToken.None);
        Console.WriteLine(report);
        return 0;
    }
}
