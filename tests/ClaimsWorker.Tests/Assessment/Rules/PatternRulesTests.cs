using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Assessment.Rules;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

/// <summary>The rules that compare the disputed payments with the customer's own habits; no device or IP data needed.</summary>
public sealed class PatternRulesTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    /// <summary>60 days of a daytime shopper: one grocery payment of 2,000-3,000 at a local shop around noon each day.</summary>
    private static List<PaymentTransaction> Habit() => [.. Enumerable.Range(1, 60).Select(i =>
        Contexts.Tx(Day.AddDays(-i).AddHours(11 + (i % 3)), 2_000 + (i % 10) * 100, device: null, ip: null) with
        {
            MerchantName = $"Shop {i % 4}", MerchantCategory = "grocery", Latitude = 35.68 + (i % 5) * 0.01, Longitude = 139.76, BalanceAfter = 50_000,
        })];

    private static PaymentTransaction Payment(DateTimeOffset at, long amount, string merchant, string category, double lat = 35.68, double lon = 139.76) =>
        Contexts.Tx(at, amount, device: null, ip: null) with { MerchantName = merchant, MerchantCategory = category, Latitude = lat, Longitude = lon };

    private static AssessmentContext With(params PaymentTransaction[] disputed) => Contexts.For(disputed) with { History = Habit() };

    [Fact]
    public void A_payment_at_3_am_from_a_daytime_shopper_is_unusual_but_one_at_noon_is_not()
    {
        var rule = new UnusualHourRule();

        var night = rule.Evaluate(With(Payment(Day.AddHours(3), 2_500, "Shop 1", "grocery")));
        var noon = rule.Evaluate(With(Payment(Day.AddHours(12), 2_500, "Shop 1", "grocery")));

        Assert.NotNull(night);
        Assert.Equal(UnusualHourRule.Points, night.Points);
        Assert.Contains("hour", night.Summary, StringComparison.Ordinal);
        Assert.Null(noon);
    }

    [Fact]
    public void Pattern_rules_abstain_without_enough_history()
    {
        var context = Contexts.For([Payment(Day.AddHours(3), 900_000, "Casino", "gambling", lat: 51.5, lon: -0.12)]) with { History = Habit().Take(5).ToList() };

        Assert.Null(new UnusualHourRule().Evaluate(context));
        Assert.Null(new UnusualCategoryRule().Evaluate(context));
        Assert.Null(new AmountOutOfRangeRule().Evaluate(context));
        Assert.Null(new NewPayeeRule().Evaluate(context));
        Assert.Null(new FarFromUsualRule().Evaluate(context));
    }

    [Fact]
    public void A_payee_never_paid_before_is_new_and_a_regular_shop_is_not()
    {
        Assert.NotNull(new NewPayeeRule().Evaluate(With(Payment(Day.AddHours(12), 2_500, "Electronics Online", "grocery"))));
        Assert.Null(new NewPayeeRule().Evaluate(With(Payment(Day.AddHours(12), 2_500, "Shop 2", "grocery"))));
    }

    [Fact]
    public void A_category_the_customer_never_buys_is_unusual()
    {
        var finding = new UnusualCategoryRule().Evaluate(With(Payment(Day.AddHours(12), 2_500, "Shop 1", "jewellery")));

        Assert.NotNull(finding);
        Assert.Contains("jewellery", finding.Evidence, StringComparison.Ordinal);
        Assert.Null(new UnusualCategoryRule().Evaluate(With(Payment(Day.AddHours(12), 2_500, "Shop 1", "grocery"))));
    }

    [Fact]
    public void An_amount_above_the_customers_range_in_that_category_fires_and_one_inside_it_does_not()
    {
        Assert.NotNull(new AmountOutOfRangeRule().Evaluate(With(Payment(Day.AddHours(12), 9_000, "Shop 1", "grocery"))));
        Assert.Null(new AmountOutOfRangeRule().Evaluate(With(Payment(Day.AddHours(12), 2_600, "Shop 1", "grocery"))));
    }

    [Fact]
    public void Most_of_the_disputed_payments_must_be_unusual_for_a_pattern_rule_to_fire()
    {
        // One odd payment among three ordinary ones is not "these were not mine".
        var context = With(Payment(Day.AddHours(3), 2_500, "Shop 1", "grocery"), Payment(Day.AddHours(12), 2_500, "Shop 1", "grocery"),
            Payment(Day.AddHours(13), 2_500, "Shop 1", "grocery"), Payment(Day.AddHours(11), 2_500, "Shop 1", "grocery"));

        Assert.Null(new UnusualHourRule().Evaluate(context));
    }

    [Fact]
    public void A_payment_hundreds_of_kilometres_from_home_is_far_from_usual()
    {
        var context = With(Payment(Day.AddHours(12), 2_500, "Shop 1", "grocery", lat: 34.69, lon: 135.50)) with
        {
            Account = new AccountFacts { CreatedAt = Day.AddYears(-2), HomeLatitude = 35.68, HomeLongitude = 139.76 },
        };

        var finding = new FarFromUsualRule().Evaluate(context);

        Assert.NotNull(finding);
        Assert.Contains("km", finding.Summary, StringComparison.Ordinal);
        Assert.Null(new FarFromUsualRule().Evaluate(With(Payment(Day.AddHours(12), 2_500, "Shop 1", "grocery", lat: 35.70))));
        Assert.InRange(FarFromUsualRule.Kilometres(35.68, 139.76, 34.69, 135.50), 395, 410);
    }

    [Fact]
    public void Ten_payments_in_an_hour_from_a_once_a_day_shopper_is_velocity()
    {
        var burst = Enumerable.Range(0, 10).Select(i => Payment(Day.AddHours(2).AddMinutes(i * 5), 2_500, "Shop 1", "grocery")).ToArray();

        var finding = new VelocityRule().Evaluate(With(burst));

        Assert.NotNull(finding);
        // The ten disputed payments and yesterday's ordinary one fall in the 24 h window.
        Assert.Contains("11 payments in the 24 h", finding.Summary, StringComparison.Ordinal);
        Assert.Null(new VelocityRule().Evaluate(With(Payment(Day.AddHours(12), 2_500, "Shop 1", "grocery"))));
        Assert.Null(new VelocityRule().Evaluate(Contexts.For(burst)));
    }

    [Fact]
    public void A_busy_day_of_payments_the_customer_does_not_dispute_is_their_own_when_the_version_asks_for_disputed_ones()
    {
        // Nine undisputed payments of the customer's own that morning, and one disputed.
        var ownBusyDay = Enumerable.Range(0, 9).Select(i => Payment(Day.AddHours(1).AddMinutes(i * 10), 2_500, "Shop 1", "grocery"));
        var context = With(Payment(Day.AddHours(3), 2_500, "Shop 1", "grocery")) with { History = [.. Habit(), .. ownBusyDay] };
        var asked = new VelocityRule(new RuleParameters(settings: new Dictionary<string, double> { ["min_disputed_share"] = 0.5 }));

        Assert.NotNull(new VelocityRule().Evaluate(context));
        Assert.Null(asked.Evaluate(context));
        Assert.Equal(0.5, RuleSet.Default.Document!.Rules["velocity"].Settings!["min_disputed_share"]);
    }

    [Fact]
    public void A_transfer_that_empties_the_wallet_to_a_new_payee_is_draining_and_rules_abstain_without_balances()
    {
        var drain = Contexts.Tx(Day.AddHours(2), 49_000, device: null, ip: null, kind: TransactionKinds.TransferOut) with { Counterparty = "acct-9", BalanceAfter = 200 };
        var partial = drain with { BalanceAfter = 30_000 };
        var unknown = drain with { BalanceAfter = null };

        var finding = new BalanceDrainedRule().Evaluate(With(drain));

        Assert.NotNull(finding);
        Assert.Equal(BalanceDrainedRule.Points, finding.Points);
        Assert.Null(new BalanceDrainedRule().Evaluate(With(partial)));
        Assert.Null(new BalanceDrainedRule().Evaluate(With(unknown)));
    }

    [Fact]
    public void A_new_payee_that_many_other_accounts_paid_is_a_mule_and_a_known_payee_is_not()
    {
        var transfer = Contexts.Tx(Day.AddHours(2), 49_000, device: null, ip: null, kind: TransactionKinds.TransferOut) with { Counterparty = "acct-mule" };
        var mule = With(transfer) with { OtherPayersPerPayee = new Dictionary<string, long> { ["acct-mule"] = 12 } };
        var few = With(transfer) with { OtherPayersPerPayee = new Dictionary<string, long> { ["acct-mule"] = 1 } };
        var known = mule with { History = [.. Habit(), transfer with { Id = 999_999, Reference = "TX-OLD", OccurredAt = Day.AddDays(-20) }] };

        Assert.NotNull(new MulePayeeRule().Evaluate(mule));
        Assert.Null(new MulePayeeRule().Evaluate(few));
        Assert.Null(new MulePayeeRule().Evaluate(known));
    }

    [Fact]
    public void Settings_from_a_rule_set_change_what_a_rule_accepts()
    {
        var night = With(Payment(Day.AddHours(3), 2_500, "Shop 1", "grocery"));
        var demanding = new UnusualHourRule(new RuleParameters(settings: new Dictionary<string, double> { ["min_history"] = 1_000 }));
        var heavier = new UnusualHourRule(new RuleParameters(points: 40));

        Assert.Null(demanding.Evaluate(night));
        Assert.Equal(40, heavier.Evaluate(night)!.Points);
    }
}
