using System.Data.Common;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Ledger;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Bench;
using Dapper;

namespace ClaimsOffice.Worker.Seeding;

/// <summary>
/// Fills an empty database with deterministic demo data: ~1,000 customers with 90 days of ordinary
/// history, three recent incidents (credential stuffing, bank-link takeovers, customers disputing
/// their own payments), the compensation fund, and three fixed demo victims to sign in as.
/// Does nothing when the database already has customers.
/// </summary>
public sealed class DemoDataSeeder(IDbConnectionFactory connections, TimeProvider clock)
{
    public const long InitialFund = 500_000_000;

    public async Task<SeedReport> SeedAsync(DemoSeedOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Customers, 10, nameof(options));

        var utc = clock.GetUtcNow().ToUniversalTime();
        var now = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

        IReadOnlyList<SeededIncident> incidents;
        await using (var connection = await connections.OpenAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            var existing = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM customers", transaction: tx, cancellationToken: ct));
            if (existing > 0)
            {
                await tx.RollbackAsync(ct);
                return await ReportAsync(alreadySeeded: true, ct);
            }

            var data = new DemoDataGenerator(options.Seed, options.Customers, now).Generate();
            try
            {
                incidents = await WriteAsync(data, now, tx, ct);
                await tx.CommitAsync(ct);
            }
            catch (DbException e) when (connections.Dialect.IsUniqueViolation(e))
            {
                // Another process seeded at the same moment and committed first.
                await tx.RollbackAsync(ct);
                return await ReportAsync(alreadySeeded: true, ct);
            }
        }
        return await ReportAsync(alreadySeeded: false, ct) with { Incidents = incidents };
    }

    private async Task<IReadOnlyList<SeededIncident>> WriteAsync(DemoData data, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        var connection = tx.Connection!;

        await InsertRowsAsync(tx, "customers", [Text("full_name"), Text("email"), Text("phone"), Time("created_at")],
            data.Customers.Select(c => new object?[] { c.FullName, c.Email, c.Phone, c.CreatedAt }), ct);
        var customerIds = (await connection.QueryAsync<(long Id, string Email)>(new CommandDefinition("SELECT id, email FROM customers", transaction: tx, cancellationToken: ct)))
            .ToDictionary(r => r.Email, r => r.Id, StringComparer.Ordinal);
        var customerId = data.Customers.Select(c => customerIds[c.Email]).ToArray();

        await InsertRowsAsync(tx, "merchants", [Text("name"), Text("category"), Text("city")],
            data.Merchants.Select(m => new object?[] { m.Name, m.Category, m.City }), ct);
        var merchantIds = (await connection.QueryAsync<(long Id, string Name)>(new CommandDefinition("SELECT id, name FROM merchants", transaction: tx, cancellationToken: ct)))
            .ToDictionary(r => r.Name, r => r.Id, StringComparer.Ordinal);
        var merchantId = data.Merchants.Select(m => merchantIds[m.Name]).ToArray();

        await InsertRowsAsync(tx, "devices", [Long("customer_id"), Text("fingerprint"), Text("label"), Time("first_seen_at"), Time("last_seen_at")],
            data.Devices.Select(d => new object?[] { customerId[d.Customer], d.Fingerprint, d.Label, d.FirstSeenAt, d.LastSeenAt }), ct);

        await InsertRowsAsync(tx, "account_events", [Long("customer_id"), Text("kind"), Time("occurred_at"), Text("device_fingerprint"), Text("ip_address"), Text("detail")],
            data.Events.Select(e => new object?[] { customerId[e.Customer], e.Kind, e.OccurredAt, e.Device, e.Ip, e.Detail }), ct);

        await InsertRowsAsync(tx, "transactions",
            [Text("reference"), Long("customer_id"), Text("kind"), Long("amount"), Text("currency"), Long("merchant_id"), Text("counterparty"), Time("occurred_at"), Text("device_fingerprint"), Text("ip_address")],
            data.Transactions.Select(t => new object?[]
            {
                t.Reference, customerId[t.Customer], t.Kind, t.Amount, DemoDataGenerator.Currency,
                t.Merchant is { } m ? merchantId[m] : null, t.Counterparty, t.OccurredAt, t.Device, t.Ip,
            }), ct);

        // The ledger writes only through the seeding transaction.
        var ledger = new LedgerRepository(connections);
        var fund = await ledger.EnsureAccountAsync(LedgerAccountKinds.CompensationFundCode, LedgerAccountKinds.CompensationFund, null, DemoDataGenerator.Currency, now, tx, ct);
        var source = await ledger.EnsureAccountAsync(LedgerAccountKinds.FundingSourceCode, LedgerAccountKinds.FundingSource, null, DemoDataGenerator.Currency, now, tx, ct);
        await ledger.PostAsync(new LedgerJournal("fund-top-up", null, "Initial compensation fund", now,
        [
            new LedgerPosting(source, -InitialFund, DemoDataGenerator.Currency),
            new LedgerPosting(fund, InitialFund, DemoDataGenerator.Currency),
        ]), tx, ct);

        return [.. data.Incidents.Select(i => new SeededIncident(i.Kind, customerId[i.Customer], i.References))];
    }

    /// <summary>
    /// Many rows through the bench's bulk writer, inside the seeding transaction: binary COPY on PostgreSQL, one
    /// prepared INSERT with reused parameters on SQLite. Through Dapper (a command per row) seeding took 10-40 s.
    /// </summary>
    private static async Task InsertRowsAsync(DbTransaction tx, string table, BulkColumn[] columns, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        await using var bulk = await BulkTable.OpenAsync(tx.Connection!, tx, table, columns, ct);
        foreach (var row in rows)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                _ = (columns[c].Type, row[c]) switch
                {
                    (BulkType.Text, var value) => bulk.Text((string?)value),
                    (BulkType.Long, var value) => bulk.Long((long?)value),
                    (BulkType.Time, DateTimeOffset time) => bulk.Time(time.UtcDateTime),
                    var (type, value) => throw new InvalidOperationException($"No {type} value in {table}.{columns[c].Name}: {value ?? "null"}."),
                };
            }
            bulk.EndRow();
        }
        await bulk.CompleteAsync(ct);
    }

    private static BulkColumn Text(string name) => new(name, BulkType.Text);

    private static BulkColumn Long(string name) => new(name, BulkType.Long);

    private static BulkColumn Time(string name) => new(name, BulkType.Time);

    /// <summary>The report, read back from the database so that every start reports the same victims and references.</summary>
    private async Task<SeedReport> ReportAsync(bool alreadySeeded, CancellationToken ct)
    {
        const string counts = """
            SELECT (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM devices) AS devices,
                   (SELECT COUNT(*) FROM account_events) AS events, (SELECT COUNT(*) FROM transactions) AS transactions,
                   (SELECT COUNT(*) FROM merchants) AS merchants
            """;
        const string person = "SELECT id, full_name, email, phone, created_at FROM customers WHERE email = @email";
        // Stuffing and bank-link victims dispute what left from a device that is not one of theirs.
        var fromForeignDevice = $"""
            SELECT t.reference FROM transactions t
            WHERE t.customer_id = @id AND t.kind IN ({DemoCatalog.OutgoingKindsSql}) AND t.device_fingerprint IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.customer_id = t.customer_id AND d.fingerprint = t.device_fingerprint)
            ORDER BY t.occurred_at, t.id
            """;
        // The own-payment disputer disputes their largest payment from their own device (ordinary payments stay below it).
        const string largestOwnPayment = $"""
            SELECT t.reference FROM transactions t
            WHERE t.customer_id = @id AND t.kind = '{TransactionKinds.Payment}'
              AND EXISTS (SELECT 1 FROM devices d WHERE d.customer_id = t.customer_id AND d.fingerprint = t.device_fingerprint)
            ORDER BY t.amount DESC, t.occurred_at DESC, t.id DESC
            LIMIT 1
            """;

        await using var connection = await connections.OpenAsync(ct);
        var c = await connection.QuerySingleAsync<(long Customers, long Devices, long Events, long Transactions, long Merchants)>(
            new CommandDefinition(counts, cancellationToken: ct));
        var victims = new List<DemoVictim>();
        for (var i = 0; i < DemoDataGenerator.DemoPeople.Count; i++)
        {
            var kind = DemoDataGenerator.DemoKinds[i];
            var v = await connection.QuerySingleOrDefaultAsync<Customer>(
                new CommandDefinition(person, new { email = DemoDataGenerator.DemoPeople[i].Email }, cancellationToken: ct));
            if (v is null)
            {
                continue;
            }
            var sql = kind == DemoVictimKinds.DisputesOwnPayment ? largestOwnPayment : fromForeignDevice;
            var references = (await connection.QueryAsync<string>(new CommandDefinition(sql, new { id = v.Id }, cancellationToken: ct))).ToList();
            victims.Add(new DemoVictim(kind, v.FullName, v.Email, v.Phone, references));
        }
        return new SeedReport(alreadySeeded, c.Customers, c.Devices, c.Events, c.Transactions, c.Merchants, victims);
    }
}
