using ClaimsOffice.Database.Customers;
using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class BankLinkedBeforeRuleTests
{
    private static readonly DateTimeOffset Spend = Contexts.Now.AddHours(-5);
    private readonly BankLinkedBeforeRule _rule = new();

    [Fact]
    public void Fires_when_a_bank_was_linked_from_a_new_device_minutes_before()
    {
        var context = Contexts.For([Contexts.Tx(Spend, device: "thief")]) with
        {
            Events =
            [
                Contexts.Event(AccountEventKinds.DeviceAdded, Spend.AddMinutes(-20), "thief"),
                Contexts.Event(AccountEventKinds.BankAccountLinked, Spend.AddMinutes(-15), "thief", detail: "Yucho Bank ****4321"),
            ],
        };

        var finding = _rule.Evaluate(context);

        Assert.NotNull(finding);
        Assert.Equal("bank-linked-before", finding.Rule);
        Assert.Equal(BankLinkedBeforeRule.Points, finding.Points);
        Assert.Contains("15 min before", finding.Summary, StringComparison.Ordinal);
        Assert.Contains("Yucho Bank ****4321", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Fires_for_a_link_exactly_24_hours_before()
    {
        var context = Contexts.For([Contexts.Tx(Spend, device: "thief")]) with
        {
            Events = [Contexts.Event(AccountEventKinds.BankAccountLinked, Spend - BankLinkedBeforeRule.Window, "thief")],
        };

        Assert.NotNull(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_for_a_link_more_than_24_hours_before()
    {
        var context = Contexts.For([Contexts.Tx(Spend, device: "thief")]) with
        {
            Events = [Contexts.Event(AccountEventKinds.BankAccountLinked, Spend - BankLinkedBeforeRule.Window - TimeSpan.FromMinutes(1), "thief")],
        };

        Assert.Null(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_when_the_customer_linked_the_bank_from_their_own_old_phone()
    {
        var context = Contexts.For([Contexts.Tx(Spend, device: "own")]) with
        {
            Devices = [Contexts.Device("own", Spend.AddDays(-400))],
            Events = [Contexts.Event(AccountEventKinds.BankAccountLinked, Spend.AddMinutes(-15), "own")],
        };

        Assert.Null(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_when_no_bank_was_linked()
    {
        var context = Contexts.For([Contexts.Tx(Spend, device: "thief")]) with
        {
            Events = [Contexts.Event(AccountEventKinds.DeviceAdded, Spend.AddMinutes(-20), "thief")],
        };

        Assert.Null(_rule.Evaluate(context));
    }
}
