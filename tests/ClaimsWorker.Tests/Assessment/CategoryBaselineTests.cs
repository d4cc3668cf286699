using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Assessment;

namespace ClaimsOffice.Worker.Tests.Assessment;

/// <summary>The population baseline per category, read from a real database as it stood before the claim's day.</summary>
public sealed class CategoryBaselineTests
{
    private static readonly DateTimeOffset Filed = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    [DatabaseTheory]
    public async Task It_holds_every_categorised_payment_of_the_four_weeks_before_the_claims_day_by_category_and_currency(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var other = await new CustomerBuilder().InsertAsync(db.Connections);
        var repository = new TransactionRepository(db.Connections);
        async Task Add(long customerId, DateTimeOffset at, long amount, string? category, string txKind = TransactionKinds.Payment, string currency = "JPY") =>
            await repository.InsertAsync(new TransactionBuilder(customerId).Kind(txKind).Amount(amount).At(at).Build() with { MerchantCategory = category, Currency = currency }, CancellationToken.None);

        var day = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        await Add(customer.Id, day.AddDays(-1), 3_000, "grocery");
        await Add(other.Id, day.AddDays(-27), 1_000, "grocery");
        await Add(other.Id, day.AddDays(-2), 2_000, "grocery");
        await Add(other.Id, day.AddDays(-3), 50, "grocery", currency: "USD");
        await Add(other.Id, day.AddDays(-3), 9_000, "travel");
        // Not the population's norm: the claim's own day, before the window, money in, no category.
        await Add(other.Id, day.AddHours(1), 99_000, "grocery");
        await Add(other.Id, day.AddDays(-29), 99_000, "grocery");
        await Add(other.Id, day.AddDays(-1), 99_000, "grocery", TransactionKinds.Refund);
        await Add(other.Id, day.AddDays(-1), 99_000, null);

        var baseline = await new CategoryBaseline(new AssessmentSignalsRepository(db.Connections)).ForDayOfAsync(Filed, CancellationToken.None);

        Assert.Equal([1_000L, 2_000L, 3_000L], baseline[CategoryBaseline.Key("grocery", "JPY")]);
        Assert.Equal([50L], baseline[CategoryBaseline.Key("grocery", "USD")]);
        Assert.Equal([9_000L], baseline[CategoryBaseline.Key("travel", "JPY")]);
        Assert.Equal(3, baseline.Count);
    }

    [DatabaseTheory]
    public async Task A_database_without_categories_gives_an_empty_baseline(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        await new TransactionBuilder(customer.Id).Payment(5_000).At(Filed.AddDays(-3)).InsertAsync(db.Connections);

        Assert.Empty(await new CategoryBaseline(new AssessmentSignalsRepository(db.Connections)).ForDayOfAsync(Filed, CancellationToken.None));
    }
}
