using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class NewAccountSpreeRuleTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static PaymentTransaction At(double hours) => Contexts.Tx(Day.AddHours(hours), 5_000, device: null, ip: null);

    private static AssessmentContext Spree(double accountAgeDays, int earlierPayments = 0) =>
        Contexts.For([At(1), At(2), At(3), At(5)]) with
        {
            Account = new AccountFacts { CreatedAt = Day.AddDays(-accountAgeDays) },
            History = [.. Enumerable.Range(1, earlierPayments).Select(i => At(-i))],
        };

    [Fact]
    public void A_spree_as_the_first_payments_of_a_new_account_fires()
    {
        var finding = new NewAccountSpreeRule().Evaluate(Spree(accountAgeDays: 0.5));

        Assert.NotNull(finding);
        Assert.Equal(NewAccountSpreeRule.Points, finding.Points);
        Assert.Contains("had made 0 payments before; then 4 disputed payments came within 24 h", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void An_established_account_or_one_already_in_use_does_not()
    {
        var rule = new NewAccountSpreeRule();

        Assert.Null(rule.Evaluate(Spree(accountAgeDays: 400)));
        Assert.Null(rule.Evaluate(Spree(accountAgeDays: 3, earlierPayments: 5)));
        Assert.NotNull(rule.Evaluate(Spree(accountAgeDays: 3, earlierPayments: 2)));
    }

    [Fact]
    public void It_abstains_without_an_account_record_and_needs_a_spree()
    {
        var rule = new NewAccountSpreeRule();
        var fewPayments = Contexts.For([At(1), At(2), At(3)]) with { Account = new AccountFacts { CreatedAt = Day } };

        Assert.Null(rule.Evaluate(Spree(accountAgeDays: 1) with { Account = null }));
        Assert.Null(rule.Evaluate(fewPayments));
    }
}
