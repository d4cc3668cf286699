using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Customers;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>Signs of a takeover in the day before: failed sign-ins, a password reset, changed contact details.</summary>
public sealed class AccountTakeoverSignalsRule : IAssessmentRule
{
    public const int Points = 10;
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public string Name => "account-takeover-signals";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var first = context.Disputed.Min(t => t.OccurredAt);
        var before = context.Events.Where(e => e.OccurredAt <= first && first - e.OccurredAt <= Window).ToList();
        var failed = before.Count(e => e.Kind == AccountEventKinds.SignInFailed);
        var resets = before.Count(e => e.Kind == AccountEventKinds.PasswordReset);
        var contactChanges = before.Count(e => e.Kind == AccountEventKinds.ContactChanged);
        if (failed < 3 && resets == 0 && contactChanges == 0)
        {
            return null;
        }
        return Finding.Of(Name, Points, $"In the {Window.TotalHours:0} h before: {failed} failed sign-ins, {resets} password resets, {contactChanges} contact changes.",
            new { failed_sign_ins = failed, password_resets = resets, contact_changes = contactChanges });
    }
}
