using System.Diagnostics;
using System.Globalization;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Migrations;
using ClaimsOffice.Worker.Cli;
using ClaimsOffice.Worker.Intake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Dapper;
using Hangfire;

namespace ClaimsOffice.Worker.Bench;

/// <summary>The benchmark's options, checked: a bad value is an <see cref="ArgumentException"/> (exit code 2).</summary>
/// <param name="Burst">0: file at <paramref name="Rate"/>; n: file n claims at once (then <paramref name="Claims"/> is n) and report the drain time.</param>
public sealed record BenchOptions(string Provider, string Connection, double Rate, int Claims, int Workers, int History, int Warmup, int Burst = 0)
{
    /// <summary>Claims filed first and left out of the results: a just-started process is still compiling and filling its pools.</summary>
    public const int DefaultWarmup = 200;

    public bool IsPostgres => Provider == "postgres";

    public static BenchOptions Parse(CommandLine commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var provider = (commandLine.Get("provider") ?? "sqlite").Trim().ToLowerInvariant() switch
        {
            "sqlite" => "sqlite",
            "postgres" or "postgresql" => "postgres",
            var other => throw new ArgumentException($"Unknown provider '{other}'. Use --provider sqlite or --provider postgres."),
        };
        var connection = commandLine.Get("connection");
        if (string.IsNullOrWhiteSpace(connection))
        {
            connection = provider == "sqlite"
                ? "Data Source=" + Path.Combine(Path.GetTempPath(), "claims-bench.db")
                : throw new ArgumentException("--connection is required with --provider postgres (e.g. \"Host=127.0.0.1;Port=5432;Username=postgres;Database=claims_bench\").");
        }
        var rawRate = commandLine.Get("rate");
        var rate = 20.0;
        if (commandLine.Has("rate") && (!double.TryParse(rawRate, NumberStyles.Float, CultureInfo.InvariantCulture, out rate) || !double.IsFinite(rate) || rate <= 0 || rate > 100_000))
        {
            throw new ArgumentException($"--rate takes a number of claims per second above 0 (got '{rawRate}').");
        }
        var burst = commandLine.GetInt("burst", 0, 0, 1_000_000);
        return new BenchOptions(provider, connection, rate,
            burst > 0 ? burst : commandLine.GetInt("claims", 1000, 1, 1_000_000),
            commandLine.GetInt("workers", 0, 0, 64),
            commandLine.GetInt("history", 1_000_000, 0, 100_000_000),
            commandLine.GetInt("warmup", DefaultWarmup, 0, 100_000),
            burst);
    }
}

/// <summary>
/// <c>bench</c>: seeds (or reuses) a large history, creates fresh incidents, files claims at a steady
/// rate through <see cref="ClaimIntake"/>, waits for every claim to be paid or in review, and reports
/// the latency from submission to money. The last line is the machine-readable summary.
/// </summary>
public static class BenchCommand
{
    private static readonly TimeSpan OutcomeDeadline = TimeSpan.FromSeconds(120);
    /// <summary>The width of a slice of the latency timeline (by submission time).</summary>
    private static readonly TimeSpan TimelineWidth = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WorkerStartTimeout = TimeSpan.FromSeconds(60);

    public const string Usage = """
        usage: ClaimsWorker bench [options]   (build with -c Release first; see docs/benchmarks.md)
          --provider sqlite|postgres   default sqlite
          --connection <string>        default for sqlite: Data Source=<temp>/claims-bench.db; required for postgres
          --rate <claims per second>   default 20
          --claims <n>                 default 1000
          --workers <n>                0 (default): the worker runs in this process; n: start n ClaimsWorker processes
          --history <transactions>     history to seed or reuse, default 1,000,000
          --warmup <n>                 claims filed at the same rate before the measured ones and not counted, default 200
          --burst <n>                  file n claims at once (after the warm-up) and report the time until all are decided
        """;

    public static async Task<int> RunAsync(CommandLine commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        if (commandLine.Has("help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        var options = BenchOptions.Parse(commandLine);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var (report, passedThroughput) = await RunAsync(options, cancel.Token);
            Console.WriteLine(passedThroughput);
            Console.WriteLine(report.FinalLine(options.Provider, options.Rate));
            return report.Passed ? 0 : 1;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: the workers are already killed (finally blocks ran).
            await Console.Error.WriteLineAsync("bench: cancelled; no result");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static async Task<(LatencyReport Report, string Summary)> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var hostCommandLine = new CommandLine(["bench", "--provider", options.Provider, "--connection", options.Connection]);
        // The engine's own logs would bury the results: warnings and errors only.
        using var host = WorkerCommands.BuildHost(hostCommandLine, ["bench", "--Logging:LogLevel:Default", "Warning"], inProcess: options.Workers == 0);
        var connections = host.Services.GetRequiredService<IDbConnectionFactory>();
        var clock = host.Services.GetRequiredService<TimeProvider>();
        Console.WriteLine($"bench: {options.Provider}, {Redact(options.Connection)}, {options.Claims} claims " +
            (options.Burst > 0 ? "at once (burst), " : $"at {options.Rate.ToString("0.##", CultureInfo.InvariantCulture)}/s, ") +
            (options.Workers == 0 ? "worker in this process" : $"{options.Workers} worker process(es)"));

        await host.Services.GetRequiredService<Migrator>().MigrateAsync(false, ct);
        int? postmaster = null;
        await using (var connection = await connections.OpenAsync(ct))
        {
            var version = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                options.IsPostgres ? "SELECT version()" : "SELECT 'SQLite ' || sqlite_version()", cancellationToken: ct));
            Console.WriteLine($"database: {version}");
            if (options.IsPostgres)
            {
                // The backend serving us is a child of the postmaster (when the server runs on this machine).
                var backend = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT pg_backend_pid()", cancellationToken: ct));
                postmaster = ProcessCpu.Parent(backend);
                Console.WriteLine(postmaster is null ? "database: not on this machine; its CPU is not measured" : $"database: postmaster pid {postmaster}");
            }
        }
        var history = await new BenchHistory(connections, clock).EnsureAsync(options.History, ct);
        Console.WriteLine(history.Reused
            ? string.Create(CultureInfo.InvariantCulture, $"history: reused {history.Transactions:N0} transactions (checked in {history.Elapsed.TotalSeconds:0.0} s)")
            : string.Create(CultureInfo.InvariantCulture, $"history: seeded {history.SeededTransactions:N0} transactions for {history.SeededCustomers:N0} customers in {history.Elapsed.TotalSeconds:0.0} s ({history.Transactions:N0} in total)"));
        var incidents = await new BenchIncidents(connections, clock).CreateAsync(options.Warmup + options.Claims, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"incidents: {incidents.Claims.Count(c => c.CredentialStuffing)} credential stuffing, {incidents.Claims.Count(c => !c.CredentialStuffing)} own payment, over {incidents.Customers} customers, in {incidents.Elapsed.TotalMilliseconds:0} ms"));

        await using var workers = new WorkerProcesses();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            if (options.Workers > 0)
            {
                var started = Stopwatch.StartNew();
                await workers.StartAsync(options.Workers, options.Provider, options.Connection, WorkerStartTimeout, ct);
                Console.WriteLine($"workers: {options.Workers} ready in {started.Elapsed.TotalSeconds:0.0} s; logs in {workers.LogFolder}");
            }
            await host.StartAsync(ct);
            host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stopping.Cancel);
            // Open the job storage before the clock starts (it creates its schema on first use).
            _ = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics();
            JobTimings? timings = null;
            if (options.Workers == 0)
            {
                // Hangfire's server filters are global: this process runs one server and ends after the run.
                timings = new JobTimings(clock);
                GlobalJobFilters.Filters.Add(timings);
            }

            var intake = host.Services.GetRequiredService<ClaimIntake>();
            // One filing holds one of the repositories' connections at a time: never more filings than the pool.
            var filingSlots = host.Services.GetRequiredService<DatabaseOptions>().EffectiveMaxPoolSize;
            if (options.Warmup > 0)
            {
                await WarmUpAsync(intake, connections, incidents.Claims.Take(options.Warmup).ToList(), options.Rate, filingSlots, stopping.Token);
            }
            var cpu = CpuSnapshot.Take(postmaster, workers.ProcessIds);
            var run = Stopwatch.StartNew();
            // A burst: every claim due at once (claim i is due at i / rate).
            var filing = await ClaimFiler.FileAsync(intake, incidents.Claims.Skip(options.Warmup).ToList(),
                options.Burst > 0 ? double.PositiveInfinity : options.Rate, filingSlots, stopping.Token);
            var ids = filing.ClaimIds.Where(id => id > 0).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"filing: {ids.Count} filed, {filing.Failed} failed in {filing.Duration.TotalSeconds:0.0} s; intake call {Percentiles.Summary(filing.IntakeMs)}"));
            if (filing.FirstError is { } error)
            {
                Console.WriteLine($"filing: first error: {error}");
            }

            var finished = await WaitForOutcomesAsync(connections, ids, stopping.Token);
            var elapsed = run.Elapsed;
            var cpuUsed = CpuSnapshot.Take(postmaster, workers.ProcessIds).Minus(cpu);
            var report = await LatencyReport.MeasureAsync(connections, options.Claims, ids, ct);
            if (finished < ids.Count)
            {
                Console.WriteLine($"outcome: only {finished} of {ids.Count} claims finished within {OutcomeDeadline.TotalSeconds:0} s of the last filing");
                PrintWorkerLogs(workers);
            }
            foreach (var slice in LatencyTimeline.Of(report.Decided, TimelineWidth))
            {
                Console.WriteLine(slice);
            }
            Console.WriteLine($"submission to paid:      {Percentiles.Summary(report.PaidMs)}");
            Console.WriteLine($"submission to in review: {Percentiles.Summary(report.ReviewMs)}");
            if (timings is not null)
            {
                var jobs = timings.Jobs.Where(j => report.SubmittedAt.ContainsKey(j.Key)).ToList();
                Console.WriteLine($"  submission to job start (intake + enqueue + pickup): {Percentiles.Summary(jobs.Select(j => (j.Value.Started - report.SubmittedAt[j.Key]).TotalMilliseconds))}");
                Console.WriteLine($"  job run (evidence, rules, decision transaction):     {Percentiles.Summary(jobs.Select(j => j.Value.RunMs))}");
            }
            Console.WriteLine(cpuUsed.PerClaim(Math.Max(1, finished)));
            if (options.Burst > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"burst: {finished} of {options.Burst} decided; drain time {elapsed.TotalSeconds:0.0} s from the first filing to the last decision"));
            }
            var chainCheck = Stopwatch.StartNew();
            var audit = host.Services.GetRequiredService<AuditLog>();
            // The workers seal as they go; this takes whatever their last pass had not reached yet.
            var sealedNow = await audit.SealPendingAsync(ct);
            var broken = await audit.FindFirstBrokenEntryAsync(ct);
            Console.WriteLine(broken is null
                ? $"audit chain: intact ({sealedNow} entries left to seal at the end; sealed and verified in {chainCheck.Elapsed.TotalMilliseconds:0} ms)"
                : $"audit chain: BROKEN at entry {broken}");
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"elapsed {elapsed.TotalSeconds:0.0} s from first filing to last outcome; throughput {(report.Paid + report.Review) / elapsed.TotalSeconds:0.0} claims/s finished");
            return (report, summary);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && options.Workers > 0)
        {
            PrintWorkerLogs(workers);
            throw;
        }
        finally
        {
            foreach (var filter in GlobalJobFilters.Filters.Where(f => f.Instance is JobTimings).ToList())
            {
                GlobalJobFilters.Filters.Remove(filter.Instance);
            }
            // Stop everything before the summary, so no shutdown log lands after the last line.
            using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await host.StopAsync(stopTimeout.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("bench: the in-process worker did not stop within 15 s");
            }
            await workers.DisposeAsync();
        }
    }

    /// <summary>
    /// Files the warm-up claims exactly like the measured ones and waits for them, so the measured run
    /// sees processes that have compiled their code and opened their connections. Reported, never counted.
    /// </summary>
    private static async Task WarmUpAsync(ClaimIntake intake, IDbConnectionFactory connections, IReadOnlyList<PlannedClaim> claims, double rate, int filingSlots, CancellationToken ct)
    {
        var filing = await ClaimFiler.FileAsync(intake, claims, rate, filingSlots, ct);
        var ids = filing.ClaimIds.Where(id => id > 0).ToList();
        if (filing.FirstError is { } error)
        {
            Console.WriteLine($"warm-up: {filing.Failed} filings failed; first error: {error}");
        }
        var finished = await WaitForOutcomesAsync(connections, ids, ct);
        var report = await LatencyReport.MeasureAsync(connections, claims.Count, ids, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm-up: {finished} of {claims.Count} claims finished, not counted; submission to paid {Percentiles.Summary(report.PaidMs)}"));
        if (!report.Passed)
        {
            throw new InvalidOperationException($"The warm-up lost {report.Lost} and double-paid {report.DoublePaid} claims; no measured run.");
        }
    }

    /// <summary>Polls the claims by status every 100 ms until all are Paid or InReview, or the deadline passes.</summary>
    private static async Task<int> WaitForOutcomesAsync(IDbConnectionFactory connections, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            var finished = await LatencyReport.CountFinishedAsync(connections, ids, ct);
            if (finished >= ids.Count || deadline.Elapsed > OutcomeDeadline)
            {
                return finished;
            }
            if (deadline.Elapsed - lastPrint > TimeSpan.FromSeconds(5))
            {
                lastPrint = deadline.Elapsed;
                Console.WriteLine($"waiting: {finished} of {ids.Count} claims finished");
            }
            await Task.Delay(100, ct);
        }
    }

    private static void PrintWorkerLogs(WorkerProcesses workers)
    {
        foreach (var log in workers.LogFiles)
        {
            Console.WriteLine($"worker log: {log}");
        }
    }

    private static string Redact(string connection) =>
        string.Join(';', connection.Split(';').Where(p => !p.TrimStart().StartsWith("Password", StringComparison.OrdinalIgnoreCase)));
}
