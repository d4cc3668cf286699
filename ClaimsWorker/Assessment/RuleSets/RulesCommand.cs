using System.Globalization;
using ClaimsOffice.Database.RuleSets;
using ClaimsOffice.Worker.Cli;
using ClaimsOffice.Worker.Evaluation;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Worker.Assessment.RuleSets;

/// <summary><c>rules list | show | import | activate | backtest</c>: rule-set versions from the command line.</summary>
public static class RulesCommand
{
    public const string Usage = """
          rules list                         the stored rule-set versions; * marks the active one
          rules show <version>|active|default  a version's document (JSON) with every setting spelled out
          rules import --file <draft.json>   store a draft as a new, inactive version
          rules activate <version> [--by <name>]  make a version active (audited)
          rules backtest --draft <file>|--version <v> [--part k/n] [--no-limit] [--examples N]
                                             run a draft over claims with known outcomes against the active set
        """;

    public static async Task<int> RunAsync(IServiceProvider services, CommandLine commandLine, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(commandLine);
        var admin = ActivatorUtilities.CreateInstance<RuleSetAdministration>(services);
        var repository = services.GetRequiredService<RuleSetRepository>();
        var sub = commandLine.Positionals.Count > 0 ? commandLine.Positionals[0].ToLowerInvariant() : "list";
        var argument = commandLine.Positionals.Count > 1 ? commandLine.Positionals[1] : null;
        var actor = "admin:" + (commandLine.Get("by") ?? Environment.UserName);
        switch (sub)
        {
            case "list":
                await admin.EnsureSeededAsync(ct);
                foreach (var r in await repository.ListAsync(ct))
                {
                    var doc = RuleSetDocument.Parse(r.Document);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{(r.IsActive ? "*" : " ")} {r.Version,-16} score>={doc.AutoApproveScore,-4} limit {(doc.AutoPayoutLimit?.ToString("N0", CultureInfo.InvariantCulture) ?? "configured"),-12} {doc.Rules.Count(x => x.Value.Enabled)} rules on  created {r.CreatedAt:yyyy-MM-dd HH:mm} by {r.CreatedBy}{(r.ActivatedAt is { } at ? $", activated {at:yyyy-MM-dd HH:mm} by {r.ActivatedBy}" : "")}  {r.Description}"));
                }
                return 0;
            case "show":
                {
                    string? json = argument switch
                    {
                        null => throw new ArgumentException("rules show needs a version (or 'active' or 'default')."),
                        "default" => RuleSet.Default.Document!.ToJson(),
                        "active" => (await services.GetRequiredService<IRuleSetSource>().GetActiveAsync(ct)).Document!.ToJson(),
                        _ => (await repository.GetAsync(argument, ct))?.Document,
                    };
                    if (json is null)
                    {
                        Console.Error.WriteLine($"There is no rule set {argument}. `rules list` shows the versions.");
                        return 1;
                    }
                    Console.WriteLine(json);
                    return 0;
                }
            case "import":
                {
                    var file = commandLine.Get("file") ?? argument ?? throw new ArgumentException("rules import needs --file <draft.json>.");
                    var result = await admin.ImportAsync(await ReadFileAsync(file, ct), actor, ct);
                    (result.Succeeded ? Console.Out : Console.Error).WriteLine(result.Message);
                    return result.Succeeded ? 0 : 1;
                }
            case "activate":
                {
                    var version = argument ?? commandLine.Get("version") ?? throw new ArgumentException("rules activate needs a version.");
                    var result = await admin.ActivateAsync(version, actor, ct);
                    (result.Succeeded ? Console.Out : Console.Error).WriteLine(result.Message);
                    return result.Succeeded ? 0 : 1;
                }
            case "backtest":
                return await BacktestAsync(services, commandLine, ct);
            default:
                throw new ArgumentException($"Unknown rules command '{sub}'.\n{Usage}");
        }
    }

    private static async Task<int> BacktestAsync(IServiceProvider services, CommandLine commandLine, CancellationToken ct)
    {
        var active = await services.GetRequiredService<IRuleSetSource>().GetActiveAsync(ct);
        RuleSet draft;
        try
        {
            if (commandLine.Get("draft") is { } file)
            {
                draft = RuleCatalog.Build(RuleSetDocument.Parse(await ReadFileAsync(file, ct)));
            }
            else if (commandLine.Get("version") is { } version)
            {
                var stored = await services.GetRequiredService<RuleSetRepository>().GetAsync(version, ct)
                    ?? throw new RuleSetException($"There is no rule set {version}.");
                draft = RuleCatalog.Build(RuleSetDocument.Parse(stored.Document));
            }
            else
            {
                throw new ArgumentException("rules backtest needs --draft <file> (or --version <stored version>).");
            }
        }
        catch (RuleSetException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        var part = CustomerPart.Parse(commandLine.Get("part"));
        long? limit = commandLine.Has("no-limit") ? long.MaxValue : null;
        var backtest = ActivatorUtilities.CreateInstance<Backtest>(services);
        var report = await backtest.RunAsync(active, draft, part, limit, ct);
        if (report.Active.Genuine + report.Active.False == 0)
        {
            Console.Error.WriteLine("No claims with known outcomes: run `evaluate` on a labelled claims file, or decide some claims in review first.");
            return 1;
        }
        Console.WriteLine(Backtest.Describe(report, commandLine.GetInt("examples", 3, 0, 100)));
        Console.WriteLine(report.Active.SummaryLine($"backtest active {report.ActiveVersion}{(part is null ? "" : " part " + part)}"));
        Console.WriteLine(report.Draft.SummaryLine($"backtest draft {report.DraftVersion}{(part is null ? "" : " part " + part)}"));
        return 0;
    }

    private static async Task<string> ReadFileAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"No such file: {path}");
        }
        return await File.ReadAllTextAsync(path, ct);
    }
}
