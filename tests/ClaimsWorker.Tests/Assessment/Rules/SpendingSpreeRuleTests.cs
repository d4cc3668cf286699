using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment.Rules;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class SpendingSpreeRuleTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static PaymentTransaction At(double hours) => Contexts.Tx(Day.AddHours(hours), 5_000, device: null, ip: null);

    [Fact]
    public void Four_disputed_payments_within_a_day_are_a_spree_even_on_a_brand_new_card()
    {
        var finding = new SpendingSpreeRule().Evaluate(Contexts.For([At(0), At(2), At(5), At(20)]));

        Assert.NotNull(finding);
        Assert.Equal(SpendingSpreeRule.Points, finding.Points);
        Assert.Contains("4 of the 4 disputed payments were made within 20 h of each other", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Three_payments_or_payments_spread_over_days_are_not()
    {
        var rule = new SpendingSpreeRule();

        Assert.Null(rule.Evaluate(Contexts.For([At(0), At(1), At(2)])));
        Assert.Null(rule.Evaluate(Contexts.For([At(0), At(30), At(60), At(90)])));
    }

    [Fact]
    public void It_finds_the_busiest_window_among_spread_out_payments()
    {
        var finding = new SpendingSpreeRule().Evaluate(Contexts.For([At(-100), At(10), At(11), At(12), At(13), At(14), At(200)]));

        Assert.NotNull(finding);
        Assert.Contains("5 of the 7 disputed payments were made within 4 h", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Its_count_and_window_are_settings_and_money_coming_in_does_not_count()
    {
        var tight = new SpendingSpreeRule(new RuleParameters(settings: new Dictionary<string, double> { ["min_count"] = 3, ["window_hours"] = 1 }));
        var refund = Contexts.Tx(Day.AddHours(0.5), 5_000, device: null, ip: null, kind: TransactionKinds.Refund);

        Assert.NotNull(tight.Evaluate(Contexts.For([At(0), At(0.5), At(1)])));
        Assert.Null(tight.Evaluate(Contexts.For([At(0), At(0.5), At(2)])));
        Assert.Null(new SpendingSpreeRule().Evaluate(Contexts.For([At(0), refund, At(1), At(2)])));
    }
}
