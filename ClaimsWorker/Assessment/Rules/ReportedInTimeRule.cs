using ClaimsOffice.Database.Assessments;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>Reports later than 60 days after the transaction need a person (Regulation E's reporting window).</summary>
public sealed class ReportedInTimeRule : IAssessmentRule
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(60);

    public string Name => "reported-in-time";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var oldest = context.Disputed.Min(t => t.OccurredAt);
        var age = context.Claim.SubmittedAt - oldest;
        return age <= Window
            ? Finding.Of(Name, 0, $"Reported {age.TotalDays:0.#} days after the oldest disputed transaction (limit {Window.TotalDays:0}).", new { days = Math.Round(age.TotalDays, 1) })
            : Finding.Of(Name, 0, $"Reported {age.TotalDays:0} days after the oldest disputed transaction, past the {Window.TotalDays:0}-day window.",
                new { days = Math.Round(age.TotalDays, 1) }, blocksAutoPayout: true);
    }
}
