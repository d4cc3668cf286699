using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// The account was opened days before the disputed payments. New identities are how first-party fraud works,
/// but victims can be new too: by default it is shown to the agent with no points.
/// </summary>
public sealed class AccountAgeRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 0;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly TimeSpan _new = parameters.Days("new_days", 7);

    public string Name => "account-age";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Account is not { } account)
        {
            return null;
        }
        var age = context.Disputed.Min(t => t.OccurredAt) - account.CreatedAt;
        return age >= _new
            ? null
            : Finding.Of(Name, _points, $"The account was opened {Math.Max(0, age.TotalDays):0.#} days before the first disputed transaction.",
                new { created_at = account.CreatedAt, age_days = Math.Round(age.TotalDays, 1) });
    }
}
