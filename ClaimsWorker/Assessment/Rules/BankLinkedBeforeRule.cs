using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Customers;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>docomo 口座: a bank account was linked shortly before the money left, from a device the account had not used.</summary>
public sealed class BankLinkedBeforeRule : IAssessmentRule
{
    public const int Points = 40;
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public string Name => "bank-linked-before";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var first = context.Disputed.Min(t => t.OccurredAt);
        var link = context.Events
            .Where(e => e.Kind == AccountEventKinds.BankAccountLinked && e.OccurredAt <= first && first - e.OccurredAt <= Window)
            .OrderByDescending(e => e.OccurredAt)
            .FirstOrDefault();
        if (link is null)
        {
            return null;
        }
        var deviceFirstSeen = context.DeviceFirstSeen(link.DeviceFingerprint);
        var fromNewDevice = link.DeviceFingerprint is not null && deviceFirstSeen is not null && link.OccurredAt - deviceFirstSeen.Value <= NewDeviceRule.Recent;
        if (!fromNewDevice)
        {
            return null;
        }
        var minutes = Math.Round((first - link.OccurredAt).TotalMinutes, 0);
        return Finding.Of(Name, Points, $"A bank account was linked from a new device {minutes:0} min before the first disputed transaction.",
            new { linked_at = link.OccurredAt, link.DeviceFingerprint, link.IpAddress, detail = link.Detail, minutes_before = minutes });
    }
}
