using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>Every disputed transaction came from an IP address the account had not used before shortly before.</summary>
public sealed class NewIpAddressRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 10;
    public static readonly TimeSpan Recent = TimeSpan.FromHours(72);

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly TimeSpan _recent = parameters.Hours("recent_hours", Recent.TotalHours);

    public string Name => "new-ip-address";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var evidence = new List<object>();
        foreach (var t in context.Disputed)
        {
            var first = context.IpFirstSeen(t.IpAddress);
            // Never seen before this transaction is as new as it gets.
            if (t.IpAddress is null || (first is not null && t.OccurredAt - first.Value > _recent))
            {
                return null;
            }
            evidence.Add(new { transaction = t.Reference, ip = t.IpAddress, first_seen = first, never_seen_before = first is null });
        }
        return Finding.Of(Name, _points, "Every disputed transaction came from an IP address new to this account.", evidence);
    }
}
