using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class NewIpAddressRuleTests
{
    private static readonly DateTimeOffset At = Contexts.Now.AddHours(-2);
    private readonly NewIpAddressRule _rule = new();

    [Fact]
    public void Fires_when_the_ip_address_was_first_seen_just_before()
    {
        var context = Contexts.For([Contexts.Tx(At, ip: "203.0.113.7")]) with
        {
            Events = [Contexts.Event("sign_in", At.AddMinutes(-3), ip: "203.0.113.7")],
        };

        var finding = _rule.Evaluate(context);

        Assert.NotNull(finding);
        Assert.Equal("new-ip-address", finding.Rule);
        Assert.Equal(NewIpAddressRule.Points, finding.Points);
        Assert.Contains("203.0.113.7", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Fires_at_exactly_72_hours()
    {
        var context = Contexts.For([Contexts.Tx(At, ip: "203.0.113.7")]) with
        {
            History = [Contexts.Tx(At - NewIpAddressRule.Recent, ip: "203.0.113.7")],
        };

        Assert.NotNull(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_for_the_customers_home_ip_address()
    {
        var context = Contexts.For([Contexts.Tx(At, ip: "192.0.2.10")]) with
        {
            History = [Contexts.Tx(At - NewIpAddressRule.Recent - TimeSpan.FromSeconds(1), ip: "192.0.2.10")],
        };

        Assert.Null(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_without_an_ip_address()
    {
        Assert.Null(_rule.Evaluate(Contexts.For([Contexts.Tx(At, ip: null)])));
    }
}
