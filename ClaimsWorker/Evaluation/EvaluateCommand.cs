using ClaimsOffice.Database.Migrations;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Assessment.RuleSets;
using ClaimsOffice.Worker.Cli;
using ClaimsOffice.Worker.Intake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClaimsOffice.Worker.Evaluation;

/// <summary><c>evaluate --claims claims.csv</c>: how well the active rule set does on labelled claims.</summary>
public static class EvaluateCommand
{
    public static async Task<int> RunAsync(CommandLine commandLine, string[] args)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var path = commandLine.Get("claims") ?? throw new ArgumentException("evaluate needs --claims <claims.csv>.");
        if (!File.Exists(path))
        {
            throw new ArgumentException($"No such file: {path}");
        }
        // The rules are measured without the money limit unless one is asked for.
        long limit = commandLine.Get("limit") is { } raw
            ? long.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, out var l) && l >= 0 ? l : throw new ArgumentException($"--limit takes an amount in minor units (got '{raw}').")
            : long.MaxValue;
        var part = CustomerPart.Parse(commandLine.Get("part"));
        var ct = CancellationToken.None;

        IReadOnlyList<ClaimRow> rows;
        IReadOnlyList<LineError> fileErrors;
        using (var reader = new StreamReader(path))
        {
            (rows, fileErrors) = ClaimsFile.Read(reader);
        }
        if (fileErrors.Count > 0 && !commandLine.Has("skip-bad-rows"))
        {
            Report(fileErrors, "Nothing was filed. Fix the file, or pass --skip-bad-rows to evaluate the good rows.");
            return 1;
        }

        var clock = new SimulatedClock(rows.Count == 0 ? DateTimeOffset.UnixEpoch : rows.Min(r => r.FiledAt));
        using var host = WorkerCommands.BuildHost(commandLine, args, inProcess: false, services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(clock);
            services.AddSingleton<TimeProvider>(clock);
            // The run assesses each claim itself, in filed_at order; nothing goes to the job queue.
            services.RemoveAll<IAssessmentQueue>();
            services.AddSingleton<IAssessmentQueue, DirectAssessment>();
            services.RemoveAll<IRuleSetSource>();
            services.AddSingleton<IRuleSetSource>(sp => new LimitedRuleSetSource(sp.GetRequiredService<ActiveRuleSet>(), limit));
            services.AddSingleton<EvaluationRun>();
        });
        await host.Services.GetRequiredService<Migrator>().MigrateAsync(false, ct);
        var active = await host.Services.GetRequiredService<IRuleSetSource>().GetActiveAsync(ct);
        Console.Error.WriteLine($"evaluating rule set {active.Version} on {path}{(part is null ? "" : $" (customers part {part})")}, automatic-payout limit {(limit == long.MaxValue ? "lifted" : limit.ToString(System.Globalization.CultureInfo.InvariantCulture))}");

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await host.Services.GetRequiredService<EvaluationRun>().RunAsync(rows,
            new EvaluationOptions(commandLine.Has("skip-bad-rows"), part, m => Console.Error.WriteLine(m)), ct);
        if (result.Refused)
        {
            Report(result.Errors, "Nothing was filed. Fix the file, or pass --skip-bad-rows to evaluate the good rows.");
            return 1;
        }
        var skipped = fileErrors.Concat(result.Errors).ToList();
        if (skipped.Count > 0)
        {
            Report(skipped, $"{skipped.Count} row(s) skipped.");
        }
        Console.WriteLine($"rule set {active.Version}; {result.Filed:N0} claims filed and assessed in {started.Elapsed.TotalSeconds:0.0} s{(part is null ? "" : $"; customers part {part}")}");
        Console.WriteLine(result.Score.Table());
        Console.WriteLine(result.Score.SummaryLine());
        return 0;
    }

    private static void Report(IReadOnlyList<LineError> errors, string closing)
    {
        foreach (var e in errors.Take(50))
        {
            Console.Error.WriteLine(e);
        }
        if (errors.Count > 50)
        {
            Console.Error.WriteLine($"... and {errors.Count - 50} more.");
        }
        Console.Error.WriteLine(closing);
    }

    /// <summary>The evaluation assesses claims itself; the intake's enqueue has nothing to do.</summary>
    private sealed class DirectAssessment : IAssessmentQueue
    {
        public Task EnqueueAsync(long claimId, CancellationToken ct) => Task.CompletedTask;
    }
}

/// <summary>The active rule set with the automatic-payout limit replaced (lifted, to measure the rules alone).</summary>
public sealed class LimitedRuleSetSource(IRuleSetSource inner, long limit) : IRuleSetSource
{
    public async ValueTask<RuleSet> GetActiveAsync(CancellationToken ct) => (await inner.GetActiveAsync(ct)) with { AutoPayoutLimit = limit };
}
