using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment.Rules;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class NightTimeRuleTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static PaymentTransaction At(double hour) => Contexts.Tx(Day.AddHours(hour), 5_000, device: null, ip: null);

    /// <summary>Payments at the given hours on the days before <see cref="Day"/>.</summary>
    private static List<PaymentTransaction> History(int count, Func<int, double> hour) =>
        [.. Enumerable.Range(1, count).Select(i => Contexts.Tx(Day.AddDays(-i).AddHours(hour(i)), 3_000, device: null, ip: null))];

    [Fact]
    public void Payments_between_ten_at_night_and_four_in_the_morning_fire_and_daytime_ones_do_not()
    {
        var rule = new NightTimeRule();

        var night = rule.Evaluate(Contexts.For([At(-1.5), At(0.5), At(3.9)]));
        var day = rule.Evaluate(Contexts.For([At(4), At(12), At(21.9)]));

        Assert.NotNull(night);
        Assert.Equal(NightTimeRule.Points, night.Points);
        Assert.Contains("3 of 3 disputed payments were made at night (22:00-04:00)", night.Summary, StringComparison.Ordinal);
        Assert.Null(day);
    }

    [Fact]
    public void Half_at_night_is_not_enough()
    {
        Assert.Null(new NightTimeRule().Evaluate(Contexts.For([At(1), At(13)])));
        Assert.NotNull(new NightTimeRule().Evaluate(Contexts.For([At(1), At(2), At(13)])));
    }

    [Fact]
    public void A_customer_who_often_pays_at_night_is_not_flagged_for_it()
    {
        var nightOwl = Contexts.For([At(1), At(2)]) with { History = History(30, i => i % 2 == 0 ? 23 : 14) };
        var dayShopper = Contexts.For([At(1), At(2)]) with { History = History(30, _ => 14) };

        Assert.Null(new NightTimeRule().Evaluate(nightOwl));
        var finding = new NightTimeRule().Evaluate(dayShopper);
        Assert.NotNull(finding);
        Assert.Contains("of their payments then", finding.Summary, StringComparison.Ordinal);
        Assert.Contains("\"usual_night_share\":0", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void The_night_can_be_set_and_money_coming_in_is_not_a_payment()
    {
        var late = new NightTimeRule(new RuleParameters(settings: new Dictionary<string, double> { ["from_hour"] = 0, ["to_hour"] = 5 }));
        var refund = Contexts.Tx(Day.AddHours(1), 5_000, device: null, ip: null, kind: TransactionKinds.Refund);

        Assert.Null(late.Evaluate(Contexts.For([At(-1), At(-0.5)])));
        Assert.NotNull(late.Evaluate(Contexts.For([At(4.5)])));
        Assert.Null(new NightTimeRule().Evaluate(Contexts.For([refund])));
    }
}
