using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>Reports later than 60 days after the transaction need a person (Regulation E's reporting window).</summary>
public sealed class ReportedInTimeRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(60);

    private readonly TimeSpan _window = (parameters ?? RuleParameters.Defaults).Days("window_days", Window.TotalDays);

    public string Name => "reported-in-time";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var oldest = context.Disputed.Min(t => t.OccurredAt);
        var age = context.Claim.SubmittedAt - oldest;
        return age <= _window
            ? Finding.Of(Name, 0, $"Reported {age.TotalDays:0.#} days after the oldest disputed transaction (limit {_window.TotalDays:0}).", new { days = Math.Round(age.TotalDays, 1) })
            : Finding.Of(Name, 0, $"Reported {age.TotalDays:0} days after the oldest disputed transaction, past the {_window.TotalDays:0}-day window.",
                new { days = Math.Round(age.TotalDays, 1) }, blocksAutoPayout: true);
    }
}
