using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// Other customers reported, in the days before, transactions with the same attacker device, IP address or
/// payee: one campaign hitting many accounts. A claim in it that a person already paid confirms it.
/// </summary>
public sealed class CampaignRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 25;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly int _confirmedPoints = parameters.Count("confirmed_points", 15);
    private readonly int _minimumClaims = parameters.Count("min_other_claims", 2);

    public string Name => "campaign";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var claims = context.CampaignLinks.GroupBy(l => l.ClaimNumber, StringComparer.Ordinal).ToList();
        var customers = context.CampaignLinks.Select(l => l.CustomerId).Distinct().Count();
        if (customers < _minimumClaims)
        {
            return null;
        }
        var confirmed = claims.Count(g => g.First().Status == ClaimStatus.Paid);
        var points = _points + (confirmed > 0 ? _confirmedPoints : 0);
        var by = context.CampaignLinks.GroupBy(l => l.SharedBy, StringComparer.Ordinal).Select(g => $"{g.Key} {string.Join("/", g.Select(l => l.Value).Distinct(StringComparer.Ordinal).Take(3))}");
        return Finding.Of(Name, points,
            $"{claims.Count} other claims from {customers} customers in the last days share the same {string.Join("; ", by)}" + (confirmed > 0 ? $"; {confirmed} of them already paid." : "."),
            new { other_claims = claims.Select(g => new { claim = g.Key, status = g.First().Status, shared = g.Select(l => new { l.SharedBy, l.Value }) }).Take(20), confirmed });
    }
}
