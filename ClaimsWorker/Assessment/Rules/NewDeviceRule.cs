using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>Every disputed transaction came from a device the account had never used, or first used shortly before.</summary>
public sealed class NewDeviceRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 30;
    public static readonly TimeSpan Recent = TimeSpan.FromHours(72);

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly TimeSpan _recent = parameters.Hours("recent_hours", Recent.TotalHours);

    public string Name => "new-device";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var evidence = new List<object>();
        foreach (var t in context.Disputed)
        {
            var first = context.DeviceFirstSeen(t.DeviceFingerprint);
            // Never seen before this transaction is as new as it gets.
            if (t.DeviceFingerprint is null || (first is not null && t.OccurredAt - first.Value > _recent))
            {
                return null;
            }
            evidence.Add(new { transaction = t.Reference, device = t.DeviceFingerprint, first_seen = first, hours_before = first is null ? 0 : Finding.Hours(t.OccurredAt - first.Value), never_seen_before = first is null });
        }
        return Finding.Of(Name, _points, $"Every disputed transaction came from a device first seen on this account less than {_recent.TotalHours:0} h before it.", evidence);
    }
}
