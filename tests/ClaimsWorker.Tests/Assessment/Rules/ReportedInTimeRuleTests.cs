using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class ReportedInTimeRuleTests
{
    private readonly ReportedInTimeRule _rule = new();

    [Fact]
    public void A_report_exactly_60_days_after_the_oldest_transaction_is_in_time()
    {
        var context = Contexts.For([Contexts.Tx(Contexts.Now - ReportedInTimeRule.Window), Contexts.Tx(Contexts.Now.AddDays(-1))]);

        var finding = _rule.Evaluate(context);

        Assert.NotNull(finding);
        Assert.Equal("reported-in-time", finding.Rule);
        Assert.Equal(0, finding.Points);
        Assert.False(finding.BlocksAutoPayout);
        Assert.Contains("\"days\":60", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_a_minute_past_60_days_needs_a_person()
    {
        var context = Contexts.For([Contexts.Tx(Contexts.Now - ReportedInTimeRule.Window - TimeSpan.FromMinutes(1))]);

        var finding = _rule.Evaluate(context);

        Assert.NotNull(finding);
        Assert.True(finding.BlocksAutoPayout);
        Assert.Contains("past the 60-day window", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_the_same_day_is_in_time()
    {
        var finding = _rule.Evaluate(Contexts.For([Contexts.Tx(Contexts.Now.AddHours(-3))]));

        Assert.NotNull(finding);
        Assert.False(finding.BlocksAutoPayout);
    }
}
