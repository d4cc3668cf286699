using System.Diagnostics;
using System.Globalization;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Transactions;
using Dapper;

namespace ClaimsOffice.Worker.Bench;

/// <summary>One claim the benchmark will file: whose, for which transaction, and what the rules should conclude.</summary>
public sealed record PlannedClaim(long CustomerId, string Reference, bool CredentialStuffing);

public sealed record IncidentReport(IReadOnlyList<PlannedClaim> Claims, int Customers, TimeSpan Elapsed);

/// <summary>
/// Creates the incident behind each claim, fresh on every run: ~90% credential stuffing (a payment
/// made minutes ago from one of a few attacker devices that signed in to many accounts in the last
/// hours: new device + shared device, so AutoApprove) and ~10% a customer disputing a payment made
/// from their own long-used phone (TrustedDeviceRule, so Review). Customers with the fewest claims go first.
/// </summary>
internal sealed class BenchIncidents(IDbConnectionFactory connections, TimeProvider clock)
{
    public const int AttackerDevices = 8;
    /// <summary>Failed sign-ins per attacker device on other accounts: stuffing tries many accounts (and keeps the shared-device signal above 5 even in tiny runs).</summary>
    private const int SprayPerDevice = 20;

    public async Task<IncidentReport> CreateAsync(int claims, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var connection = await connections.OpenAsync(ct);
        var customers = (await connection.QueryAsync<long>(new CommandDefinition($"""
            SELECT c.id FROM customers c LEFT JOIN claims cl ON cl.customer_id = c.id
            WHERE c.email LIKE '%{BenchHistory.EmailDomain}'
            GROUP BY c.id ORDER BY COUNT(cl.id), c.id LIMIT @claims
            """, new { claims }, cancellationToken: ct))).ToList();
        var merchants = (await connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM merchants ORDER BY id LIMIT 200", cancellationToken: ct))).ToList();
        if (customers.Count == 0 || merchants.Count == 0)
        {
            throw new InvalidOperationException("The history has no bench customers or merchants; run with a larger --history.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var run = now.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(100, 1000).ToString(CultureInfo.InvariantCulture);
        var runOctet = Random.Shared.Next(256);
        var random = new Random(run.GetHashCode(StringComparison.Ordinal));
        string Device(int a) => string.Create(CultureInfo.InvariantCulture, $"attacker-{run}-{a}");
        string Ip(int a) => string.Create(CultureInfo.InvariantCulture, $"198.18.{runOctet}.{a + 1}");

        var planned = new List<PlannedClaim>(claims);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var events = await BulkTable.OpenAsync(connection, tx, "account_events",
            [new("customer_id", BulkType.Long), new("kind", BulkType.Text), new("occurred_at", BulkType.Time), new("device_fingerprint", BulkType.Text), new("ip_address", BulkType.Text), new("detail", BulkType.Text)], ct))
        {
            for (var a = 0; a < AttackerDevices; a++)
            {
                for (var s = 0; s < SprayPerDevice; s++)
                {
                    var victim = customers[random.Next(customers.Count)];
                    events.Long(victim).Text(AccountEventKinds.SignInFailed).Time(Micro(now - Minutes(random, 60, 300))).Text(Device(a)).Text(Ip(a)).Text("wrong password").EndRow();
                }
            }
            for (var i = 0; i < claims; i++)
            {
                var customer = customers[i % customers.Count];
                var stuffing = i % 10 != 9;
                planned.Add(new PlannedClaim(customer, string.Create(CultureInfo.InvariantCulture, $"BI{run}-{i}"), stuffing));
                if (stuffing)
                {
                    var a = i % AttackerDevices;
                    events.Long(customer).Text(AccountEventKinds.SignIn).Time(Micro(now - Minutes(random, 60, 240))).Text(Device(a)).Text(Ip(a)).Text(null).EndRow();
                }
            }
            await events.CompleteAsync(ct);
        }
        await using (var transactions = await BulkTable.OpenAsync(connection, tx, "transactions",
        [
            new("reference", BulkType.Text), new("customer_id", BulkType.Long), new("kind", BulkType.Text), new("amount", BulkType.Long),
            new("currency", BulkType.Text), new("merchant_id", BulkType.Long), new("counterparty", BulkType.Text), new("occurred_at", BulkType.Time),
            new("device_fingerprint", BulkType.Text), new("ip_address", BulkType.Text),
        ], ct))
        {
            for (var i = 0; i < planned.Count; i++)
            {
                var claim = planned[i];
                var merchant = merchants[random.Next(merchants.Count)];
                if (claim.CredentialStuffing)
                {
                    // Drained minutes ago from the attacker's device: a payment or a transfer to a mule, below the auto-payout limit.
                    var a = i % AttackerDevices;
                    var transfer = random.Next(10) < 3;
                    transactions.Text(claim.Reference).Long(claim.CustomerId)
                        .Text(transfer ? TransactionKinds.TransferOut : TransactionKinds.Payment).Long(1000L * random.Next(10, 90))
                        .Text(BenchHistory.Currency).Long(transfer ? null : merchant).Text(transfer ? string.Create(CultureInfo.InvariantCulture, $"mule-{a}") : null)
                        .Time(Micro(now - Minutes(random, 1, 30))).Text(Device(a)).Text(Ip(a)).EndRow();
                }
                else
                {
                    // The customer's own phone at home, yesterday or so: what disputing one's own payment looks like.
                    transactions.Text(claim.Reference).Long(claim.CustomerId).Text(TransactionKinds.Payment).Long(100L * random.Next(20, 200))
                        .Text(BenchHistory.Currency).Long(merchant).Text(null)
                        .Time(Micro(now - Minutes(random, 60, 2 * 24 * 60))).Text(BenchHistory.OwnDevice(claim.CustomerId)).Text(BenchHistory.OwnIp(claim.CustomerId)).EndRow();
                }
            }
            await transactions.CompleteAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new IncidentReport(planned, customers.Count, stopwatch.Elapsed);
    }

    private static TimeSpan Minutes(Random random, int min, int max) => TimeSpan.FromMinutes(min + (random.NextDouble() * (max - min)));

    private static DateTime Micro(DateTime time) => time.AddTicks(-(time.Ticks % 10));
}
