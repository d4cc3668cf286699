using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>Signs of a takeover in the day before: failed sign-ins, a password reset, changed contact details.</summary>
public sealed class AccountTakeoverSignalsRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 10;
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly TimeSpan _window = parameters.Hours("window_hours", Window.TotalHours);
    private readonly int _failed = parameters.Count("min_failed_sign_ins", 3);

    public string Name => "account-takeover-signals";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var first = context.Disputed.Min(t => t.OccurredAt);
        var before = context.Events.Where(e => e.OccurredAt <= first && first - e.OccurredAt <= _window).ToList();
        var failed = before.Count(e => e.Kind == AccountEventKinds.SignInFailed);
        var resets = before.Count(e => e.Kind == AccountEventKinds.PasswordReset);
        var contactChanges = before.Count(e => e.Kind == AccountEventKinds.ContactChanged);
        if (failed < _failed && resets == 0 && contactChanges == 0)
        {
            return null;
        }
        return Finding.Of(Name, _points, $"In the {_window.TotalHours:0} h before: {failed} failed sign-ins, {resets} password resets, {contactChanges} contact changes.",
            new { failed_sign_ins = failed, password_resets = resets, contact_changes = contactChanges });
    }
}
