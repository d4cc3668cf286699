using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Transactions;
using Dapper;

namespace ClaimsOffice.Worker.Bench;

public sealed record HistoryReport(long Transactions, bool Reused, long SeededTransactions, long SeededCustomers, TimeSpan Elapsed);

/// <summary>
/// The large history the benchmark runs against: customers with 90 days of ordinary payments from
/// their own long-used phone, their device and their sign-ins. Reused when the database already holds
/// enough transactions; otherwise bulk-inserted (binary COPY on PostgreSQL, one prepared statement in
/// one transaction on SQLite).
/// </summary>
internal sealed class BenchHistory(IDbConnectionFactory connections, TimeProvider clock)
{
    public const string EmailDomain = "@bench.claims.invalid";
    public const string Currency = "JPY";
    public const int TransactionsPerCustomer = 100;
    private const int Merchants = 200;
    private static readonly TimeSpan Span = TimeSpan.FromDays(90);

    public static string OwnDevice(long customerId) => string.Create(CultureInfo.InvariantCulture, $"phone-{customerId}");

    public static string OwnIp(long customerId) =>
        string.Create(CultureInfo.InvariantCulture, $"10.{(customerId >> 16) & 255}.{(customerId >> 8) & 255}.{customerId & 255}");

    public async Task<HistoryReport> EnsureAsync(long target, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var connection = await connections.OpenAsync(ct);
        var existing = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM transactions", cancellationToken: ct));
        var benchCustomers = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM customers WHERE email LIKE '%{EmailDomain}'", cancellationToken: ct));
        if (existing >= target && benchCustomers > 0)
        {
            return new HistoryReport(existing, Reused: true, 0, 0, stopwatch.Elapsed);
        }

        // Without bench customers there is no one to file for: seed at least a small population.
        var toSeed = Math.Max(target - existing, benchCustomers == 0 ? 100L * TransactionsPerCustomer : 0);
        var customers = Math.Max(1, (toSeed + TransactionsPerCustomer - 1) / TransactionsPerCustomer);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"history: {existing:N0} transactions present, target {target:N0}; seeding {toSeed:N0} transactions for {customers:N0} customers..."));

        await using var tx = await connection.BeginTransactionAsync(ct);
        var merchantIds = await EnsureMerchantsAsync(connection, tx, ct);
        var firstCustomer = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(id), 0) + 1 FROM customers", transaction: tx, cancellationToken: ct));
        var now = clock.GetUtcNow().UtcDateTime;
        var population = new Population(firstCustomer, customers, toSeed, merchantIds, now);

        await WriteCustomersAsync(connection, tx, population, ct);
        await WriteDevicesAsync(connection, tx, population, ct);
        await WriteEventsAsync(connection, tx, population, ct);
        await WriteTransactionsAsync(connection, tx, population, ct);
        if (connections.Dialect.Provider == DatabaseProvider.Postgres)
        {
            // Explicit ids were written: move the identity sequences past them.
            await connection.ExecuteAsync(new CommandDefinition("""
                SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT MAX(id) FROM customers));
                SELECT setval(pg_get_serial_sequence('merchants', 'id'), (SELECT MAX(id) FROM merchants));
                """, transaction: tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        // Fresh statistics, so the planner uses the indexes the assessment relies on.
        const string tables = "customers, devices, account_events, merchants, transactions";
        var analyze = connections.Dialect.Provider == DatabaseProvider.Postgres ? $"ANALYZE {tables}" : "PRAGMA analysis_limit = 1000; ANALYZE";
        await connection.ExecuteAsync(new CommandDefinition(analyze, commandTimeout: 600, commandType: CommandType.Text, cancellationToken: ct));
        return new HistoryReport(existing + toSeed, Reused: false, toSeed, customers, stopwatch.Elapsed);
    }

    private sealed record Population(long FirstCustomer, long Customers, long Transactions, IReadOnlyList<long> MerchantIds, DateTime Now)
    {
        public IEnumerable<long> CustomerIds => Enumerable.Range(0, checked((int)Customers)).Select(i => FirstCustomer + i);

        public long TransactionsFor(long customerId)
        {
            var index = customerId - FirstCustomer;
            return (Transactions / Customers) + (index < Transactions % Customers ? 1 : 0);
        }
    }

    private static async Task<IReadOnlyList<long>> EnsureMerchantsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        var ids = (await connection.QueryAsync<long>(new CommandDefinition($"SELECT id FROM merchants ORDER BY id LIMIT {Merchants}", transaction: tx, cancellationToken: ct))).ToList();
        if (ids.Count >= Merchants / 4)
        {
            return ids;
        }
        string[] categories = ["convenience_store", "restaurant", "supermarket", "electronics", "pharmacy", "online", "transport", "cafe"];
        string[] cities = ["Tokyo", "Osaka", "Nagoya", "Fukuoka", "Sapporo", "Kyoto"];
        var first = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(id), 0) + 1 FROM merchants", transaction: tx, cancellationToken: ct));
        await using (var table = await BulkTable.OpenAsync(connection, tx, "merchants",
            [new("id", BulkType.Long), new("name", BulkType.Text), new("category", BulkType.Text), new("city", BulkType.Text)], ct))
        {
            for (var i = 0; i < Merchants; i++)
            {
                table.Long(first + i).Text(string.Create(CultureInfo.InvariantCulture, $"Bench Merchant {first + i}"))
                    .Text(categories[i % categories.Length]).Text(cities[i % cities.Length]).EndRow();
                ids.Add(first + i);
            }
            await table.CompleteAsync(ct);
        }
        return ids;
    }

    private static async Task WriteCustomersAsync(DbConnection connection, DbTransaction tx, Population p, CancellationToken ct)
    {
        await using var table = await BulkTable.OpenAsync(connection, tx, "customers",
            [new("id", BulkType.Long), new("full_name", BulkType.Text), new("email", BulkType.Text), new("phone", BulkType.Text), new("created_at", BulkType.Time)], ct);
        foreach (var id in p.CustomerIds)
        {
            table.Long(id)
                .Text(string.Create(CultureInfo.InvariantCulture, $"Bench Customer {id}"))
                .Text(string.Create(CultureInfo.InvariantCulture, $"customer{id}{EmailDomain}"))
                .Text(string.Create(CultureInfo.InvariantCulture, $"+8170{id:D9}"))
                .Time(p.Now - TimeSpan.FromDays(400))
                .EndRow();
        }
        await table.CompleteAsync(ct);
    }

    private static async Task WriteDevicesAsync(DbConnection connection, DbTransaction tx, Population p, CancellationToken ct)
    {
        await using var table = await BulkTable.OpenAsync(connection, tx, "devices",
            [new("customer_id", BulkType.Long), new("fingerprint", BulkType.Text), new("label", BulkType.Text), new("first_seen_at", BulkType.Time), new("last_seen_at", BulkType.Time)], ct);
        foreach (var id in p.CustomerIds)
        {
            table.Long(id).Text(OwnDevice(id)).Text("Own phone").Time(p.Now - Span - TimeSpan.FromDays(30)).Time(p.Now - TimeSpan.FromHours(2)).EndRow();
        }
        await table.CompleteAsync(ct);
    }

    /// <summary>About ten sign-ins per customer over the 90 days, all from their own phone and home address.</summary>
    private static async Task WriteEventsAsync(DbConnection connection, DbTransaction tx, Population p, CancellationToken ct)
    {
        await using var table = await BulkTable.OpenAsync(connection, tx, "account_events",
            [new("customer_id", BulkType.Long), new("kind", BulkType.Text), new("occurred_at", BulkType.Time), new("device_fingerprint", BulkType.Text), new("ip_address", BulkType.Text)], ct);
        foreach (var id in p.CustomerIds)
        {
            var random = new Random(unchecked((int)(id * 7919) ^ 0x5eed));
            var device = OwnDevice(id);
            var ip = OwnIp(id);
            for (var i = 0; i < 10; i++)
            {
                table.Long(id).Text(AccountEventKinds.SignIn).Time(RandomTime(random, p.Now)).Text(device).Text(ip).EndRow();
            }
        }
        await table.CompleteAsync(ct);
    }

    private static async Task WriteTransactionsAsync(DbConnection connection, DbTransaction tx, Population p, CancellationToken ct)
    {
        await using var table = await BulkTable.OpenAsync(connection, tx, "transactions",
        [
            new("reference", BulkType.Text), new("customer_id", BulkType.Long), new("kind", BulkType.Text), new("amount", BulkType.Long),
            new("currency", BulkType.Text), new("merchant_id", BulkType.Long), new("counterparty", BulkType.Text), new("occurred_at", BulkType.Time),
            new("device_fingerprint", BulkType.Text), new("ip_address", BulkType.Text),
        ], ct);
        var written = 0L;
        foreach (var id in p.CustomerIds)
        {
            var random = new Random(unchecked((int)(id * 104729) ^ 0x7a11));
            var device = OwnDevice(id);
            var ip = OwnIp(id);
            var count = p.TransactionsFor(id);
            for (var k = 0; k < count; k++)
            {
                var roll = random.Next(100);
                var (kind, amount, merchant, counterparty) = roll switch
                {
                    < 75 => (TransactionKinds.Payment, 100L * random.Next(3, 120), p.MerchantIds[random.Next(p.MerchantIds.Count)], (string?)null),
                    < 85 => (TransactionKinds.TopUp, 1000L * random.Next(5, 50), (long?)null, "Bank top-up"),
                    < 95 => (TransactionKinds.TransferOut, 100L * random.Next(10, 300), null, string.Create(CultureInfo.InvariantCulture, $"friend-{random.Next(1000)}")),
                    _ => (TransactionKinds.BankTopUp, 1000L * random.Next(10, 50), null, "Own bank account"),
                };
                // Mostly from home; sometimes from the mobile network.
                var from = random.Next(100) < 85 ? ip : string.Create(CultureInfo.InvariantCulture, $"100.64.{random.Next(256)}.{random.Next(256)}");
                table.Text(string.Create(CultureInfo.InvariantCulture, $"BH{id}-{k}")).Long(id).Text(kind).Long(amount)
                    .Text(Currency).Long(merchant).Text(counterparty).Time(RandomTime(random, p.Now))
                    .Text(device).Text(from).EndRow();
            }
            written += count;
            if (id % 1000 == 0)
            {
                Console.Write(string.Create(CultureInfo.InvariantCulture, $"\rhistory: {written:N0} / {p.Transactions:N0} transactions"));
            }
        }
        await table.CompleteAsync(ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\rhistory: {written:N0} / {p.Transactions:N0} transactions"));
    }

    /// <summary>A moment in the 90 days before now, ending two hours ago, with whole microseconds (what both databases keep).</summary>
    private static DateTime RandomTime(Random random, DateTime now)
    {
        var ticks = (long)(random.NextDouble() * (Span - TimeSpan.FromHours(2)).Ticks);
        var time = now - Span + TimeSpan.FromTicks(ticks);
        return time.AddTicks(-(time.Ticks % 10));
    }
}
