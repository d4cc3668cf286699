using ClaimsOffice.Database.Assessments;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// Against the claim: a disputed transaction came from the customer's own long-used device. That is
/// what a customer disputing their own payment looks like, so a person must look, whatever else fired.
/// </summary>
public sealed class TrustedDeviceRule : IAssessmentRule
{
    public const int Points = -50;
    public static readonly TimeSpan LongUsed = TimeSpan.FromDays(30);
    public const int MinimumUses = 5;

    public string Name => "trusted-device";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var t in context.Disputed)
        {
            var first = context.DeviceFirstSeen(t.DeviceFingerprint);
            if (first is null || t.OccurredAt - first.Value < LongUsed)
            {
                continue;
            }
            var uses = context.History.Count(h => h.DeviceFingerprint == t.DeviceFingerprint && h.OccurredAt < t.OccurredAt);
            if (uses >= MinimumUses)
            {
                return Finding.Of(Name, Points,
                    $"Transaction {t.Reference} came from the customer's own device, used for {uses} transactions over {(t.OccurredAt - first.Value).TotalDays:0} days.",
                    new { transaction = t.Reference, device = t.DeviceFingerprint, first_seen = first, prior_uses = uses }, blocksAutoPayout: true);
            }
        }
        return null;
    }
}
