using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Seeding;
using Dapper;

namespace ClaimsOffice.Worker.Tests.Seeding;

/// <summary>The seeder's bulk path on both databases (binary COPY on PostgreSQL, prepared INSERTs on SQLite): every generated row arrives, nulls and times intact.</summary>
public sealed class DemoDataSeederBulkTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 3, 17, 0, TimeSpan.Zero);

    [DatabaseTheory]
    public async Task Seeding_writes_every_generated_row_with_its_nulls_and_times(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var options = new DemoSeedOptions(Customers: 40);
        await new DemoDataSeeder(db.Connections, new FixedClock(Now)).SeedAsync(options, CancellationToken.None);
        var expected = new DemoDataGenerator(options.Seed, options.Customers, Now).Generate();

        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        Assert.Equal(expected.Customers.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers"));
        Assert.Equal(expected.Merchants.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM merchants"));
        Assert.Equal(expected.Devices.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM devices"));
        Assert.Equal(expected.Events.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM account_events"));
        Assert.Equal(expected.Transactions.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM transactions"));

        var withMerchant = expected.Transactions.First(t => t.Merchant is not null);
        var withoutMerchant = expected.Transactions.First(t => t.Merchant is null);
        foreach (var generated in new[] { withMerchant, withoutMerchant })
        {
            var stored = await connection.QuerySingleAsync<(long Amount, long? MerchantId, string? Counterparty, DateTimeOffset OccurredAt)>(
                "SELECT amount, merchant_id, counterparty, occurred_at FROM transactions WHERE reference = @Reference", new { generated.Reference });
            Assert.Equal(generated.Amount, stored.Amount);
            Assert.Equal(generated.Merchant is null, stored.MerchantId is null);
            Assert.Equal(generated.Counterparty, stored.Counterparty);
            Assert.Equal(generated.OccurredAt, stored.OccurredAt);
        }
    }
}
