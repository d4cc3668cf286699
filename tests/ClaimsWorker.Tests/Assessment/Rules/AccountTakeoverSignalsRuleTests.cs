using ClaimsOffice.Database.Customers;
using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

public sealed class AccountTakeoverSignalsRuleTests
{
    private static readonly DateTimeOffset At = Contexts.Now.AddHours(-2);
    private readonly AccountTakeoverSignalsRule _rule = new();

    [Fact]
    public void Fires_on_three_failed_sign_ins_in_the_day_before()
    {
        var context = Contexts.For([Contexts.Tx(At)]) with
        {
            Events = [.. Enumerable.Range(1, 3).Select(i => Contexts.Event(AccountEventKinds.SignInFailed, At.AddMinutes(-i)))],
        };

        var finding = _rule.Evaluate(context);

        Assert.NotNull(finding);
        Assert.Equal("account-takeover-signals", finding.Rule);
        Assert.Equal(AccountTakeoverSignalsRule.Points, finding.Points);
        Assert.Contains("3 failed sign-ins, 0 password resets, 0 contact changes", finding.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AccountEventKinds.PasswordReset)]
    [InlineData(AccountEventKinds.ContactChanged)]
    public void Fires_on_a_single_password_reset_or_contact_change(string kind)
    {
        var context = Contexts.For([Contexts.Tx(At)]) with { Events = [Contexts.Event(kind, At - AccountTakeoverSignalsRule.Window)] };

        Assert.NotNull(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_on_two_failed_sign_ins()
    {
        var context = Contexts.For([Contexts.Tx(At)]) with
        {
            Events = [Contexts.Event(AccountEventKinds.SignInFailed, At.AddMinutes(-2)), Contexts.Event(AccountEventKinds.SignInFailed, At.AddMinutes(-1))],
        };

        Assert.Null(_rule.Evaluate(context));
    }

    [Fact]
    public void Is_silent_on_a_password_reset_more_than_a_day_before_or_after_the_transaction()
    {
        var context = Contexts.For([Contexts.Tx(At)]) with
        {
            Events =
            [
                Contexts.Event(AccountEventKinds.PasswordReset, At - AccountTakeoverSignalsRule.Window - TimeSpan.FromMinutes(1)),
                Contexts.Event(AccountEventKinds.PasswordReset, At.AddMinutes(5)),
            ],
        };

        Assert.Null(_rule.Evaluate(context));
    }
}
