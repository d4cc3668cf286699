using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class TransactionOwnershipRuleTests
{
    private static readonly DateTimeOffset At = Contexts.Now.AddHours(-1);
    private readonly TransactionOwnershipRule _rule = new();

    [Fact]
    public void Records_that_the_claimants_own_transactions_are_in_no_other_claim()
    {
        var finding = _rule.Evaluate(Contexts.For([Contexts.Tx(At), Contexts.Tx(At, liveClaim: "CLM-2026-000001")]));

        Assert.NotNull(finding);
        Assert.Equal(0, finding.Points);
        Assert.False(finding.BlocksAutoPayout);
        Assert.Contains("All 2 disputed transactions", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_when_a_transaction_is_someone_elses()
    {
        var foreign = Contexts.Tx(At, customerId: Contexts.CustomerId + 1);
        var finding = _rule.Evaluate(Contexts.For([Contexts.Tx(At), foreign]));

        Assert.NotNull(finding);
        Assert.True(finding.BlocksAutoPayout);
        Assert.Contains(foreign.Reference, finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_when_a_transaction_is_in_another_live_claim()
    {
        var finding = _rule.Evaluate(Contexts.For([Contexts.Tx(At, liveClaim: "CLM-2026-000099")]));

        Assert.NotNull(finding);
        Assert.True(finding.BlocksAutoPayout);
        Assert.Contains("CLM-2026-000099", finding.Evidence, StringComparison.Ordinal);
    }
}
