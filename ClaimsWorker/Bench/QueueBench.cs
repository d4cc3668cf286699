using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Migrations;
using ClaimsOffice.Database.Review;
using ClaimsOffice.Worker.Cli;
using ClaimsOffice.Worker.Review;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ClaimsOffice.Worker.Bench;

/// <summary>
/// <c>bench queue</c>: seeds (or reuses) a number of claims in review and times the review queue's own
/// queries (<see cref="ReviewQueueRepository"/>): the first page, a deep page by keyset, each filter, and the
/// counts per state. Seeded rows are marked (claim numbers <c>QB-…</c>) so a rerun reuses them.
/// The last line is the machine-readable summary.
/// </summary>
public static class QueueBench
{
    private const int PageSize = 50;
    private const string RelatedQuery = "related claims";
    private const int Agents = 20;
    private const int Campaigns = 50;
    private const int CustomersPerClaim = 50;
    private static readonly string[] States = [ReviewStatus.InReview, ReviewStatus.AwaitingInformation, ReviewStatus.Escalated, ReviewStatus.AwaitingApproval];

    public static async Task<int> RunAsync(CommandLine commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        // The same --provider/--connection/--claims checks as the claims benchmark.
        var options = BenchOptions.Parse(commandLine);
        var (provider, connection, claims) = (options.Provider, options.Connection, options.Claims);
        var repeat = commandLine.GetInt("repeat", 20, 1, 10_000);
        // Campaign detection instead of the queue page (docs/benchmarks.md, "Campaign detection").
        var detect = commandLine.GetInt("detect", 0, 0, 1_000);

        var hostCommandLine = new CommandLine(["bench", "--provider", provider, "--connection", connection]);
        using var host = WorkerCommands.BuildHost(hostCommandLine, ["bench", "--Logging:LogLevel:Default", "Warning"], inProcess: false);
        var connections = host.Services.GetRequiredService<IDbConnectionFactory>();
        var queue = host.Services.GetRequiredService<ReviewQueueRepository>();
        var related = host.Services.GetRequiredService<ClaimReviewRepository>();
        var ct = CancellationToken.None;
        await host.Services.GetRequiredService<Migrator>().MigrateAsync(false, ct);
        await using (var c = await connections.OpenAsync(ct))
        {
            var version = await c.ExecuteScalarAsync<string>(provider == "postgres" ? "SELECT version()" : "SELECT 'SQLite ' || sqlite_version()");
            Console.WriteLine($"bench-queue: {provider}, database: {version}");
        }

        var seed = Stopwatch.StartNew();
        var (existing, seeded) = await EnsureClaimsAsync(connections, claims, ct);
        Console.WriteLine(seeded == 0
            ? string.Create(CultureInfo.InvariantCulture, $"claims: reused {existing:N0} seeded claims in review")
            : string.Create(CultureInfo.InvariantCulture, $"claims: seeded {seeded:N0} (now {existing + seeded:N0}) in {seed.Elapsed.TotalSeconds:0.0} s"));

        var signals = Stopwatch.StartNew();
        var linked = await EnsureSignalsAsync(connections, ct);
        if (linked > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"signals: a disputed transaction for {linked:N0} claims in {signals.Elapsed.TotalSeconds:0.0} s"));
        }

        if (detect > 0)
        {
            await MeasureDetectionAsync(connections, host.Services.GetRequiredService<CampaignService>(), detect, ct);
            return 0;
        }

        var timings = await MeasureAsync(connections, queue, related, repeat, ct);
        // The summary covers every query the queue page runs: its pages (first, deep, each filter) and the counts
        // shown beside the grid, which the page reloads with every page and refresh. Related claims (the claim page) apart.
        var all = timings.Where(t => t.Key != RelatedQuery).SelectMany(t => t.Value).Order().ToList();
        foreach (var (name, values) in timings)
        {
            var sorted = values.Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-22} n={sorted.Count,4} p50={Percentile(sorted, 50):0.0}ms p95={Percentile(sorted, 95):0.0}ms max={sorted[^1]:0.0}ms"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench-queue: provider={provider} claims={existing + seeded} queries={all.Count} p50={Percentile(all, 50):0.0}ms p95={Percentile(all, 95):0.0}ms max={all[^1]:0.0}ms"));
        return 0;
    }

    private static double Percentile(IReadOnlyList<double> sorted, int p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Times each query kind <paramref name="repeat"/> times, with varying arguments, after one untimed warm-up round.</summary>
    private static async Task<Dictionary<string, List<double>>> MeasureAsync(
        IDbConnectionFactory connections, ReviewQueueRepository queue, ClaimReviewRepository related, int repeat, CancellationToken ct)
    {
        long[] agents;
        long[] campaigns;
        long[] relatedTo;
        long open;
        await using (var c = await connections.OpenAsync(ct))
        {
            agents = [.. await c.QueryAsync<long>("SELECT id FROM staff_users WHERE normalized_user_name LIKE 'QB-AGENT-%' ORDER BY id")];
            campaigns = [.. await c.QueryAsync<long>("SELECT id FROM review_campaigns WHERE signal_kind = 'bench' ORDER BY id")];
            open = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM claims WHERE status IN {ReviewStatus.OpenSqlList}");
            // Claims to open the claim page of: half in a campaign (hundreds share its device), half not.
            relatedTo = [.. await c.QueryAsync<long>("""
                SELECT id FROM (SELECT id FROM claims WHERE claim_number LIKE 'QB-%' AND campaign_id IS NOT NULL ORDER BY id LIMIT 10) a
                UNION ALL SELECT id FROM (SELECT id FROM claims WHERE claim_number LIKE 'QB-%' AND campaign_id IS NULL ORDER BY id DESC LIMIT 10) b
                """)];
        }
        // Deep cursors: rows far into the queue's order, found once (untimed) with an OFFSET the queue itself never uses.
        var deep = new List<QueueCursor>();
        await using (var c = await connections.OpenAsync(ct))
        {
            foreach (var fraction in new[] { 0.25, 0.5, 0.75, 0.95 })
            {
                var row = await c.QuerySingleAsync<QueueRow>(new CommandDefinition($"""
                    SELECT c.id, c.claim_number, '' AS customer_name, c.status, c.total_amount, c.currency, c.risk_score, c.submitted_at, c.next_due_at, c.version
                    FROM claims c WHERE c.status IN {ReviewStatus.OpenSqlList}
                    {ReviewQueueRepository.OrderBy} LIMIT 1 OFFSET @offset
                    """, new { offset = (long)(open * fraction) }, commandTimeout: 600, cancellationToken: ct));
                deep.Add(row.Cursor);
            }
        }
        var now = DateTimeOffset.UtcNow;
        var random = new Random(7);
        var kinds = new List<(string Name, Func<int, Task> Run)>
        {
            ("first page", _ => queue.PageAsync(new QueueFilter(), null, PageSize, ct)),
            ("deep page (keyset)", i => queue.PageAsync(new QueueFilter(), deep[i % deep.Count], PageSize, ct)),
            ("state", i => queue.PageAsync(new QueueFilter { Status = States[i % States.Length] }, null, PageSize, ct)),
            ("amount range", _ =>
            {
                var min = random.NextInt64(1_000, 400_000);
                return queue.PageAsync(new QueueFilter { MinAmount = min, MaxAmount = min + 20_000 }, null, PageSize, ct);
            }),
            ("age", i => queue.PageAsync(new QueueFilter { SubmittedBefore = now.AddDays(-(5 + (i % 20))) }, null, PageSize, ct)),
            ("campaign", i => queue.PageAsync(new QueueFilter { CampaignId = campaigns[i % campaigns.Length] }, null, PageSize, ct)),
            ("assigned to me", i => queue.PageAsync(new QueueFilter { AssignedTo = agents[i % agents.Length] }, null, PageSize, ct)),
            ("counts per state", _ => queue.CountAsync(now, TimeSpan.FromHours(4), ct)),
            // Not a queue query: the claim page's list of claims sharing the attacker's device, IP or payee.
            (RelatedQuery, i => related.ListRelatedAsync(relatedTo[i % relatedTo.Length], 50, ct)),
        };
        var timings = kinds.ToDictionary(k => k.Name, _ => new List<double>(), StringComparer.Ordinal);
        for (var round = -1; round < repeat; round++)
        {
            foreach (var (name, run) in kinds)
            {
                var watch = Stopwatch.StartNew();
                await run(round + 1);
                if (round >= 0)
                {
                    timings[name].Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }
        return timings;
    }

    /// <summary>
    /// <c>--detect N</c>: times <see cref="CampaignService.DetectAsync"/> N times as a fresh attack leaves it (the bench
    /// campaigns' claims, 3%, sharing their campaign's device, untagged: the run creates a campaign per device and tags
    /// them) and N times in the steady state (nothing new: what a worker runs every minute). Afterwards the claims go back
    /// to their bench campaigns and the detected campaigns (bench values only) are removed, so the queue timings hold.
    /// </summary>
    private static async Task MeasureDetectionAsync(IDbConnectionFactory connections, CampaignService campaigns, int repeat, CancellationToken ct)
    {
        const string untag = "UPDATE claims SET campaign_id = NULL WHERE campaign_id IN (SELECT id FROM review_campaigns WHERE signal_kind = 'bench')";
        const string restore = """
            UPDATE claims SET campaign_id = (SELECT b.id FROM review_campaigns d JOIN review_campaigns b
                ON b.signal_kind = 'bench' AND d.signal_value = 'qb-campaign-device-' || b.id WHERE d.id = claims.campaign_id)
            WHERE campaign_id IN (SELECT id FROM review_campaigns WHERE signal_kind <> 'bench' AND signal_value LIKE 'qb-%')
            """;
        const string forget = "DELETE FROM review_campaigns WHERE signal_kind <> 'bench' AND signal_value LIKE 'qb-%'";
        await using (var c = await connections.OpenAsync(ct))
        {
            var open = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM claims WHERE status IN {ReviewStatus.OpenSqlList}", commandTimeout: 600, cancellationToken: ct));
            var shared = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM claims WHERE campaign_id IN (SELECT id FROM review_campaigns WHERE signal_kind = 'bench')", commandTimeout: 600, cancellationToken: ct));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"detect: {open:N0} open claims, {shared:N0} of them sharing a bench campaign's device"));
        }
        var fresh = new List<double>();
        var steady = new List<double>();
        var tagged = 0;
        for (var round = -1; round < repeat; round++)
        {
            await using (var c = await connections.OpenAsync(ct))
            {
                await c.ExecuteAsync(new CommandDefinition(untag, commandTimeout: 600, cancellationToken: ct));
            }
            var watch = Stopwatch.StartNew();
            tagged = await campaigns.DetectAsync(ct);
            var first = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var again = await campaigns.DetectAsync(ct);
            var second = watch.Elapsed.TotalMilliseconds;
            await using (var c = await connections.OpenAsync(ct))
            {
                await c.ExecuteAsync(new CommandDefinition(restore, commandTimeout: 600, cancellationToken: ct));
                await c.ExecuteAsync(new CommandDefinition(forget, commandTimeout: 600, cancellationToken: ct));
            }
            if (again != 0)
            {
                throw new InvalidOperationException($"The second detection tagged {again} claims that the first one left.");
            }
            // The first round warms the caches and is not timed.
            if (round >= 0)
            {
                fresh.Add(first);
                steady.Add(second);
            }
        }
        foreach (var (name, values) in new[] { ("new attack", fresh), ("nothing new", steady) })
        {
            var sorted = values.Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-22} n={sorted.Count,4} p50={Percentile(sorted, 50):0.0}ms p95={Percentile(sorted, 95):0.0}ms max={sorted[^1]:0.0}ms"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench-queue-detect: tagged={tagged} new-attack-p50={Percentile([.. fresh.Order()], 50):0.0}ms nothing-new-p50={Percentile([.. steady.Order()], 50):0.0}ms"));
    }

    /// <summary>Seeds claims in review (and their customers, agents and campaigns) until there are <paramref name="target"/>; reuses what is there.</summary>
    private static async Task<(long Existing, long Seeded)> EnsureClaimsAsync(IDbConnectionFactory connections, long target, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var existing = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM claims WHERE claim_number LIKE 'QB-%'");
        if (existing >= target)
        {
            return (existing, 0);
        }
        var now = DateTime.UtcNow;
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            for (var i = 0; i < Agents; i++)
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO staff_users (user_name, normalized_user_name, email, normalized_email, display_name, security_stamp, concurrency_stamp, approval_limit, created_at)
                    VALUES (@user, @upper, @email, @emailUpper, @name, 'bench', 'bench', 50000, @now)
                    ON CONFLICT (normalized_user_name) DO NOTHING
                    """, new { user = $"qb-agent-{i}", upper = $"QB-AGENT-{i}", email = $"qb-agent-{i}@bench.example", emailUpper = $"QB-AGENT-{i}@BENCH.EXAMPLE", name = $"Bench Agent {i}", now = new DateTimeOffset(now) }, tx, cancellationToken: ct));
            }
            for (var i = 0; i < Campaigns; i++)
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO review_campaigns (signal_kind, signal_value, created_at) VALUES ('bench', @value, @now)
                    ON CONFLICT (signal_kind, signal_value) DO NOTHING
                    """, new { value = $"bench-device-{i}", now = new DateTimeOffset(now) }, tx, cancellationToken: ct));
            }
            await tx.CommitAsync(ct);
        }
        var agents = (await connection.QueryAsync<long>("SELECT id FROM staff_users WHERE normalized_user_name LIKE 'QB-AGENT-%'")).ToArray();
        var campaigns = (await connection.QueryAsync<long>("SELECT id FROM review_campaigns WHERE signal_kind = 'bench'")).ToArray();

        var toSeed = target - existing;
        var customerCount = Math.Max(1, toSeed / CustomersPerClaim);
        var firstCustomer = existing / CustomersPerClaim;
        var customerRows = new List<string>();
        for (var i = 0L; i < customerCount; i++)
        {
            var n = firstCustomer + i;
            customerRows.Add(string.Create(CultureInfo.InvariantCulture, $"Bench Victim {n}\tqb-{n}@bench.example\t+8100{n:D9}\t{Stamp(now.AddYears(-2))}"));
        }
        await CopyAsync(connection, "customers", "full_name, email, phone, created_at", customerRows, ct);
        var customers = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM customers WHERE email LIKE 'qb-%' ORDER BY id", commandTimeout: 600, cancellationToken: ct))).ToArray();

        var random = new Random(42);
        // One COPY (one transaction) per 10,000 claims: the counts trigger (0011) updates the same 16 rows once per claim
        // in review, and one transaction's many versions of a row make each further update slower.
        const int batch = 10_000;
        for (var start = 0L; start < toSeed; start += batch)
        {
            var rows = new List<string>((int)Math.Min(batch, toSeed - start));
            for (var k = start; k < Math.Min(start + batch, toSeed); k++)
            {
                var n = existing + k;
                var submitted = now.AddMinutes(-random.Next(10, 60 * 24 * 30));
                var due = submitted.AddHours(random.Next(2) == 0 ? 24 : 24 * 14);
                var roll = random.Next(100);
                var state = roll < 75 ? ReviewStatus.InReview : roll < 87 ? ReviewStatus.AwaitingInformation : roll < 94 ? ReviewStatus.Escalated : ReviewStatus.AwaitingApproval;
                var assigned = random.Next(100) < 10 ? agents[random.Next(agents.Length)].ToString(CultureInfo.InvariantCulture) : @"\N";
                var campaign = random.Next(100) < 3 ? campaigns[random.Next(campaigns.Length)].ToString(CultureInfo.InvariantCulture) : @"\N";
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"QB-{n:D9}\t{customers[random.Next(customers.Length)]}\t{state}\tBench claim\t{random.Next(1, 500) * 1_000}\tJPY\t{Stamp(submitted)}\t{Stamp(submitted)}\t{Stamp(due)}\t{Stamp(submitted.AddHours(24))}\t{Stamp(due)}\t{random.Next(-40, 100)}\t{assigned}\t{campaign}\t{Stamp(submitted)}"));
            }
            await CopyAsync(connection, "claims",
                "claim_number, customer_id, status, description, total_amount, currency, submitted_at, assessed_at, decision_due_at, first_decision_due_at, next_due_at, risk_score, assigned_to, campaign_id, updated_at",
                rows, ct);
            if ((start + rows.Count) % 100_000 == 0 || start + rows.Count == toSeed)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"claims: {start + rows.Count:N0} / {toSeed:N0}"));
            }
        }
        // Fresh statistics, so the planner sees the million rows it will page through (on a connection of its own:
        // the one that ran the COPYs refused the next statement here).
        await using (var fresh = await connections.OpenAsync(ct))
        {
            await fresh.ExecuteAsync(new CommandDefinition("ANALYZE claims", commandTimeout: 600, cancellationToken: ct));
        }
        return (existing, toSeed);
    }

    /// <summary>
    /// Gives each seeded claim one disputed transaction with attacker signals, for the related-claims query: a
    /// campaign's claims share its device; the rest draw from pools (a device shared by about 5 claims, an IP by
    /// 2, a payee by 10). Returns how many claims it linked (0 when a previous run did).
    /// </summary>
    private static async Task<long> EnsureSignalsAsync(IDbConnectionFactory connections, CancellationToken ct)
    {
        const string transactions = $"""
            INSERT INTO transactions (reference, customer_id, kind, amount, currency, counterparty, occurred_at, device_fingerprint, ip_address)
            SELECT 'QB-T-' || c.claim_number, c.customer_id, '{Database.Transactions.TransactionKinds.TransferOut}', c.total_amount, c.currency,
                   'qb-payee-' || (c.id * 7919 % 100000), c.submitted_at,
                   CASE WHEN c.campaign_id IS NULL THEN 'qb-device-' || (c.id * 104729 % 200000) ELSE 'qb-campaign-device-' || c.campaign_id END,
                   'qb-ip-' || (c.id * 15485863 % 500000)
            FROM claims c
            WHERE c.claim_number LIKE 'QB-%' AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.reference = 'QB-T-' || c.claim_number)
            """;
        const string links = """
            INSERT INTO claim_transactions (claim_id, transaction_id, amount)
            SELECT c.id, t.id, t.amount FROM transactions t JOIN claims c ON 'QB-T-' || c.claim_number = t.reference
            WHERE t.reference LIKE 'QB-T-%' AND NOT EXISTS (SELECT 1 FROM claim_transactions x WHERE x.transaction_id = t.id)
            """;
        await using var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(transactions, commandTimeout: 1800, cancellationToken: ct));
        var linked = await connection.ExecuteAsync(new CommandDefinition(links, commandTimeout: 1800, cancellationToken: ct));
        if (linked > 0 && connection is NpgsqlConnection)
        {
            await connection.ExecuteAsync(new CommandDefinition("ANALYZE transactions; ANALYZE claim_transactions", commandTimeout: 600, cancellationToken: ct));
        }
        return linked;
    }

    private static string Stamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Tab-separated rows: PostgreSQL's text COPY, or on SQLite one prepared INSERT reused in a transaction.</summary>
    private static async Task CopyAsync(DbConnection connection, string table, string columns, IReadOnlyList<string> rows, CancellationToken ct)
    {
        if (connection is NpgsqlConnection pg)
        {
            await using var writer = await pg.BeginTextImportAsync($"COPY {table} ({columns}) FROM STDIN", ct);
            foreach (var row in rows)
            {
                await writer.WriteLineAsync(row);
            }
            return;
        }
        var names = columns.Split(", ");
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO {table} ({columns}) VALUES ({string.Join(", ", names.Select((_, i) => $"$p{i}"))})";
        var parameters = names.Select((_, i) =>
        {
            var p = command.CreateParameter();
            p.ParameterName = $"$p{i}";
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        foreach (var row in rows)
        {
            var values = row.Split('\t');
            for (var i = 0; i < values.Length; i++)
            {
                // Text for every value: SQLite's column affinity stores numbers in INTEGER columns as integers.
                parameters[i].Value = values[i] == @"\N" ? DBNull.Value : values[i];
            }
            await command.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}
