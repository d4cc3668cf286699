using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// Against the claim: a disputed transaction came from the customer's own long-used device. That is
/// what a customer disputing their own payment looks like, so a person must look, whatever else fired.
/// </summary>
public sealed class TrustedDeviceRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = -50;
    public static readonly TimeSpan LongUsed = TimeSpan.FromDays(30);
    public const int MinimumUses = 5;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly TimeSpan _longUsed = parameters.Days("long_used_days", LongUsed.TotalDays);
    private readonly int _minimumUses = parameters.Count("min_uses", MinimumUses);

    public string Name => "trusted-device";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var t in context.Disputed)
        {
            var first = context.DeviceFirstSeen(t.DeviceFingerprint);
            if (first is null || t.OccurredAt - first.Value < _longUsed)
            {
                continue;
            }
            var uses = context.History.Count(h => h.DeviceFingerprint == t.DeviceFingerprint && h.OccurredAt < t.OccurredAt);
            if (uses >= _minimumUses)
            {
                return Finding.Of(Name, _points,
                    $"Transaction {t.Reference} came from the customer's own device, used for {uses} transactions over {(t.OccurredAt - first.Value).TotalDays:0} days.",
                    new { transaction = t.Reference, device = t.DeviceFingerprint, first_seen = first, prior_uses = uses }, blocksAutoPayout: true);
            }
        }
        return null;
    }
}
