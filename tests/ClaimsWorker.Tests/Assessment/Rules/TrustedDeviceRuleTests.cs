using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class TrustedDeviceRuleTests
{
    private static readonly DateTimeOffset At = Contexts.Now.AddDays(-2);
    private readonly TrustedDeviceRule _rule = new();

    [Fact]
    public void Fires_and_blocks_when_the_payment_came_from_the_customers_long_used_phone()
    {
        var disputed = Contexts.Tx(At, device: "dev-own", ip: "192.0.2.10");
        var context = Contexts.For([disputed]) with
        {
            Devices = [Contexts.Device("dev-own", At.AddDays(-400))],
            History = Contexts.OwnHistory(At, 12),
        };

        var finding = _rule.Evaluate(context);

        Assert.NotNull(finding);
        Assert.Equal("trusted-device", finding.Rule);
        Assert.Equal(TrustedDeviceRule.Points, finding.Points);
        Assert.True(finding.BlocksAutoPayout);
        Assert.Contains($"Transaction {disputed.Reference} came from the customer's own device, used for 12 transactions over 400 days", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Fires_for_a_device_first_seen_exactly_30_days_before_with_5_uses()
    {
        var context = Contexts.For([Contexts.Tx(At, device: "dev-own")]) with
        {
            Devices = [Contexts.Device("dev-own", At - TrustedDeviceRule.LongUsed)],
            History = Contexts.OwnHistory(At, TrustedDeviceRule.MinimumUses),
        };

        Assert.NotNull(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_with_only_4_earlier_uses()
    {
        var context = Contexts.For([Contexts.Tx(At, device: "dev-own")]) with
        {
            Devices = [Contexts.Device("dev-own", At.AddDays(-400))],
            History = Contexts.OwnHistory(At, TrustedDeviceRule.MinimumUses - 1),
        };

        Assert.Null(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_for_a_device_used_often_but_first_seen_less_than_30_days_before()
    {
        var context = Contexts.For([Contexts.Tx(At, device: "dev-own")]) with
        {
            Devices = [Contexts.Device("dev-own", At - TrustedDeviceRule.LongUsed + TimeSpan.FromMinutes(1))],
            History = [.. Enumerable.Range(1, 10).Select(i => Contexts.Tx(At.AddDays(-i * 2), device: "dev-own"))],
        };

        Assert.Null(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_for_an_attackers_device()
    {
        var context = Contexts.For([Contexts.Tx(At, device: "attacker")]) with
        {
            Devices = [Contexts.Device("dev-own", At.AddDays(-400))],
            History = Contexts.OwnHistory(At, 12),
        };

        Assert.Null(_rule.Evaluate(context));
    }
}
