using System.Text.Json;
using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class NewDeviceRuleTests
{
    private static readonly DateTimeOffset At = Contexts.Now.AddHours(-2);
    private readonly NewDeviceRule _rule = new();

    [Fact]
    public void Fires_when_the_device_was_first_seen_minutes_before()
    {
        var disputed = Contexts.Tx(At, device: "dev-new");
        var context = Contexts.For([disputed]) with { Events = [Contexts.Event("sign_in", At.AddMinutes(-5), "dev-new")] };

        var finding = _rule.Evaluate(context);

        Assert.NotNull(finding);
        Assert.Equal("new-device", finding.Rule);
        Assert.Equal(NewDeviceRule.Points, finding.Points);
        Assert.False(finding.BlocksAutoPayout);
        using var evidence = JsonDocument.Parse(finding.Evidence);
        var item = Assert.Single(evidence.RootElement.EnumerateArray());
        Assert.Equal(disputed.Reference, item.GetProperty("transaction").GetString());
        Assert.Equal("dev-new", item.GetProperty("device").GetString());
        Assert.Equal(0.1, item.GetProperty("hours_before").GetDouble());
    }

    [Fact]
    public void Fires_when_the_device_was_first_seen_exactly_72_hours_before()
    {
        var context = Contexts.For([Contexts.Tx(At, device: "dev-new")]) with { Devices = [Contexts.Device("dev-new", At - NewDeviceRule.Recent)] };

        Assert.NotNull(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_when_the_device_was_first_seen_a_second_more_than_72_hours_before()
    {
        var context = Contexts.For([Contexts.Tx(At, device: "dev-old")]) with
        {
            Devices = [Contexts.Device("dev-old", At - NewDeviceRule.Recent - TimeSpan.FromSeconds(1))],
        };

        Assert.Null(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_when_one_of_the_disputed_transactions_came_from_an_old_device()
    {
        var context = Contexts.For([Contexts.Tx(At, device: "dev-new"), Contexts.Tx(At.AddMinutes(1), device: "dev-old")]) with
        {
            Devices = [Contexts.Device("dev-new", At.AddMinutes(-1)), Contexts.Device("dev-old", At.AddDays(-100))],
        };

        Assert.Null(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_when_the_transaction_has_no_device()
    {
        Assert.Null(_rule.Evaluate(Contexts.For([Contexts.Tx(At, device: null)])));
    }
}

public sealed class NewDeviceNeverSeenTests
{
    [Fact]
    public void Fires_when_the_device_appears_for_the_first_time_in_the_disputed_transaction()
    {
        var at = Contexts.Now.AddHours(-2);
        var finding = new NewDeviceRule().Evaluate(Contexts.For([Contexts.Tx(at, device: "dev-unknown")]));

        Assert.NotNull(finding);
        using var evidence = System.Text.Json.JsonDocument.Parse(finding.Evidence);
        Assert.True(Assert.Single(evidence.RootElement.EnumerateArray()).GetProperty("never_seen_before").GetBoolean());
    }

    [Fact]
    public void New_ip_rule_fires_for_an_address_never_seen_before()
    {
        var at = Contexts.Now.AddHours(-2);
        Assert.NotNull(new NewIpAddressRule().Evaluate(Contexts.For([Contexts.Tx(at, ip: "198.51.100.200")])));
    }
}
