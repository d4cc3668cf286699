using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class AutoPayoutLimitRuleTests
{
    private readonly AutoPayoutLimitRule _rule = new();

    [Fact]
    public void Is_silent_at_exactly_the_limit()
    {
        Assert.Null(_rule.Evaluate(Contexts.For([Contexts.Tx(Contexts.Now.AddHours(-1), amount: 100_000)], autoPayoutLimit: 100_000)));
    }

    [Fact]
    public void Blocks_a_claim_one_yen_above_the_limit()
    {
        var finding = _rule.Evaluate(Contexts.For([Contexts.Tx(Contexts.Now.AddHours(-1), amount: 60_000), Contexts.Tx(Contexts.Now.AddHours(-1), amount: 40_001)], autoPayoutLimit: 100_000));

        Assert.NotNull(finding);
        Assert.Equal("auto-payout-limit", finding.Rule);
        Assert.Equal(0, finding.Points);
        Assert.True(finding.BlocksAutoPayout);
        Assert.Contains("(100001) is above the automatic payout limit (100000)", finding.Summary, StringComparison.Ordinal);
    }
}
