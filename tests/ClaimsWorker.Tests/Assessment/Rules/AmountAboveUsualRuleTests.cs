using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class AmountAboveUsualRuleTests
{
    private static readonly DateTimeOffset At = Contexts.Now.AddHours(-2);
    private readonly AmountAboveUsualRule _rule = new();

    [Fact]
    public void Fires_for_an_amount_more_than_3x_the_largest_usual_payment()
    {
        var disputed = Contexts.Tx(At, amount: 3_001);
        var context = Contexts.For([disputed]) with { History = Contexts.OwnHistory(At, 5, amount: 1_000) };

        var finding = _rule.Evaluate(context);

        Assert.NotNull(finding);
        Assert.Equal("amount-above-usual", finding.Rule);
        Assert.Equal(AmountAboveUsualRule.Points, finding.Points);
        Assert.Contains("median 1000, largest 1000", finding.Summary, StringComparison.Ordinal);
        Assert.Contains(disputed.Reference, finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_silent_at_exactly_3x_the_largest()
    {
        var context = Contexts.For([Contexts.Tx(At, amount: 3_000)]) with { History = Contexts.OwnHistory(At, 5, amount: 1_000) };

        Assert.Null(_rule.Evaluate(context));
    }

    [Fact]
    public void Fires_for_more_than_10x_the_median_even_below_3x_the_largest()
    {
        // Usual: 100, 100, 100, 100, 5000 -> median 100, largest 5000. 1,001 > 10 x 100.
        var history = Contexts.OwnHistory(At, 4, amount: 100).Append(Contexts.Tx(At.AddDays(-30), amount: 5_000, device: "dev-own")).ToList();
        var context = Contexts.For([Contexts.Tx(At, amount: 1_001)]) with { History = history };

        Assert.NotNull(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_with_fewer_than_5_usual_payments()
    {
        var context = Contexts.For([Contexts.Tx(At, amount: 90_000)]) with { History = Contexts.OwnHistory(At, 4, amount: 1_000) };

        Assert.Null(_rule.Evaluate(context));
    }

    [Fact]
    public void Incoming_money_does_not_count_as_usual_spending()
    {
        var history = Contexts.OwnHistory(At, 4, amount: 1_000)
            .Append(Contexts.Tx(At.AddDays(-40), amount: 1_000, kind: TransactionKinds.TransferIn)).ToList();
        var context = Contexts.For([Contexts.Tx(At, amount: 90_000)]) with { History = history };

        Assert.Null(_rule.Evaluate(context));
    }
}
