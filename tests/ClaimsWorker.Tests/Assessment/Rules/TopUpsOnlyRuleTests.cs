using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class TopUpsOnlyRuleTests
{
    private static readonly DateTimeOffset At = Contexts.Now.AddHours(-3);
    private readonly TopUpsOnlyRule _rule = new();

    [Fact]
    public void Blocks_automatic_payout_when_only_top_ups_are_disputed()
    {
        var finding = _rule.Evaluate(Contexts.For([
            Contexts.Tx(At, amount: 30_000, kind: TransactionKinds.BankTopUp),
            Contexts.Tx(At.AddMinutes(2), amount: 20_000, kind: TransactionKinds.BankTopUp)]));

        Assert.NotNull(finding);
        Assert.Equal("top-ups-only", finding.Rule);
        Assert.True(finding.BlocksAutoPayout);
        Assert.Equal(0, finding.Points);
        Assert.Contains("\"amount\":50000", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_silent_when_the_money_also_left_the_wallet()
    {
        Assert.Null(_rule.Evaluate(Contexts.For([
            Contexts.Tx(At, amount: 50_000, kind: TransactionKinds.BankTopUp),
            Contexts.Tx(At.AddMinutes(10), amount: 46_800)])));
    }

    [Fact]
    public void Is_silent_for_ordinary_payments()
    {
        Assert.Null(_rule.Evaluate(Contexts.For([Contexts.Tx(At)])));
    }
}
