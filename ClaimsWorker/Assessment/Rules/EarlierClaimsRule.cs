using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// Against the claim: the claimant had a claim rejected before, or files claims often. A person looks;
/// the finding lists the earlier claims and how they ended.
/// </summary>
public sealed class EarlierClaimsRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = -20;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly TimeSpan _window = parameters.Days("window_days", 365);
    private readonly int _many = parameters.Count("many_claims", 2);

    public string Name => "earlier-claims";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var recent = context.EarlierClaims.Where(c => context.Claim.SubmittedAt - c.SubmittedAt <= _window).ToList();
        var rejected = recent.Count(c => c.Status == ClaimStatus.Rejected);
        if (rejected == 0 && recent.Count < _many)
        {
            return null;
        }
        return Finding.Of(Name, _points,
            $"{recent.Count} earlier claim(s) in {_window.TotalDays:0} days, {rejected} rejected.",
            new { earlier = recent.Select(c => new { claim = c.ClaimNumber, c.Status, submitted_at = c.SubmittedAt, c.TotalAmount }) },
            blocksAutoPayout: rejected > 0);
    }
}
