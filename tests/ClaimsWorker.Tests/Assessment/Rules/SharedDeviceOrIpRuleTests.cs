using System.Text.Json;
using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class SharedDeviceOrIpRuleTests
{
    private static readonly DateTimeOffset At = Contexts.Now.AddHours(-2);
    private readonly SharedDeviceOrIpRule _rule = new();

    private static Worker.Assessment.AssessmentContext With(long onDevice, long fromIp) =>
        Contexts.For([Contexts.Tx(At, device: "dev-x", ip: "203.0.113.1"), Contexts.Tx(At.AddMinutes(1), device: "dev-x", ip: "203.0.113.1")]) with
        {
            AccountsPerDevice = new Dictionary<string, long> { ["dev-x"] = onDevice },
            AccountsPerIp = new Dictionary<string, long> { ["203.0.113.1"] = fromIp },
        };

    [Fact]
    public void Fires_when_the_device_served_exactly_5_accounts()
    {
        var finding = _rule.Evaluate(With(onDevice: SharedDeviceOrIpRule.ManyAccounts, fromIp: 1));

        Assert.NotNull(finding);
        Assert.Equal("shared-device-or-ip", finding.Rule);
        Assert.Equal(SharedDeviceOrIpRule.Points, finding.Points);
        Assert.Contains("up to 5 accounts", finding.Summary, StringComparison.Ordinal);
        using var evidence = JsonDocument.Parse(finding.Evidence);
        Assert.Equal(2, evidence.RootElement.GetArrayLength());
        Assert.Equal(5, evidence.RootElement[0].GetProperty("accounts_on_device").GetInt64());
    }

    [Fact]
    public void Fires_when_only_the_ip_address_was_shared()
    {
        var finding = _rule.Evaluate(With(onDevice: 1, fromIp: 60));

        Assert.NotNull(finding);
        Assert.Contains("up to 60 accounts", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Says_or_more_when_the_count_reached_the_repository_cap()
    {
        var finding = _rule.Evaluate(With(onDevice: ClaimsOffice.Database.Customers.CustomerRepository.AccountCountCap, fromIp: 1));

        Assert.NotNull(finding);
        Assert.Contains($"{ClaimsOffice.Database.Customers.CustomerRepository.AccountCountCap} or more accounts", finding.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_silent_at_4_accounts()
    {
        Assert.Null(_rule.Evaluate(With(onDevice: SharedDeviceOrIpRule.ManyAccounts - 1, fromIp: SharedDeviceOrIpRule.ManyAccounts - 1)));
    }

    [Fact]
    public void Is_silent_when_one_disputed_transaction_came_from_an_unshared_device()
    {
        var context = Contexts.For([Contexts.Tx(At, device: "dev-x", ip: "203.0.113.1"), Contexts.Tx(At, device: "dev-own", ip: "192.0.2.10")]) with
        {
            AccountsPerDevice = new Dictionary<string, long> { ["dev-x"] = 50, ["dev-own"] = 1 },
            AccountsPerIp = new Dictionary<string, long> { ["203.0.113.1"] = 50, ["192.0.2.10"] = 1 },
        };

        Assert.Null(_rule.Evaluate(context));
    }
}
