using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Assessment.Rules;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class CategoryNormRuleTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Everybody's grocery payments: 200 of them between 1,000 and 2,990 yen.</summary>
    private static Dictionary<string, IReadOnlyList<long>> Population(int count = 200) => new(StringComparer.Ordinal)
    {
        [CategoryBaseline.Key("grocery", "JPY")] = [.. Enumerable.Range(0, count).Select(i => 1_000L + i % 200 * 10).Order()],
    };

    private static PaymentTransaction Grocery(long amount, string currency = "JPY", int hour = 12) =>
        Contexts.Tx(Day.AddHours(hour), amount, device: null, ip: null) with { MerchantName = "Big Mart", MerchantCategory = "grocery", Currency = currency };

    private static AssessmentContext For(params PaymentTransaction[] disputed) => Contexts.For(disputed) with { CategoryAmounts = Population() };

    [Fact]
    public void A_grocery_bill_far_above_what_everybody_pays_fires_and_names_the_ceiling()
    {
        var finding = new CategoryNormRule().Evaluate(For(Grocery(30_000), Grocery(1_500)));

        Assert.NotNull(finding);
        Assert.Equal(CategoryNormRule.Points, finding.Points);
        Assert.Contains("1 of 2 disputed payments", finding.Summary, StringComparison.Ordinal);
        Assert.Contains("¥30,000", finding.Summary, StringComparison.Ordinal);
        Assert.Contains("\"population_ceiling\":2970", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ordinary_grocery_bill_does_not_fire()
    {
        Assert.Null(new CategoryNormRule().Evaluate(For(Grocery(2_500), Grocery(1_200))));
    }

    [Fact]
    public void It_abstains_without_a_category_a_baseline_in_that_currency_or_enough_population()
    {
        var rule = new CategoryNormRule();
        var noCategory = Contexts.Tx(Day, 30_000, device: null, ip: null);

        Assert.Null(rule.Evaluate(For(noCategory)));
        Assert.Null(rule.Evaluate(For(Grocery(30_000, currency: "USD"))));
        Assert.Null(rule.Evaluate(Contexts.For([Grocery(30_000)]) with { CategoryAmounts = Population(count: 50) }));
        Assert.Null(rule.Evaluate(Contexts.For([Grocery(30_000)])));
    }

    [Fact]
    public void A_customer_with_a_history_of_their_own_is_left_to_the_rules_that_know_it()
    {
        var context = For(Grocery(30_000)) with { History = Contexts.OwnHistory(Day, count: 20) };

        Assert.Null(new CategoryNormRule().Evaluate(context));
        Assert.NotNull(new CategoryNormRule(new RuleParameters(settings: new Dictionary<string, double> { ["own_history_enough"] = 21 })).Evaluate(context));
    }
}
