using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>docomo 口座: a bank account was linked shortly before the money left, from a device the account had not used.</summary>
public sealed class BankLinkedBeforeRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 40;
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly TimeSpan _window = parameters.Hours("window_hours", Window.TotalHours);
    private readonly TimeSpan _newDevice = parameters.Hours("new_device_hours", NewDeviceRule.Recent.TotalHours);

    public string Name => "bank-linked-before";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var first = context.Disputed.Min(t => t.OccurredAt);
        var link = context.Events
            .Where(e => e.Kind == AccountEventKinds.BankAccountLinked && e.OccurredAt <= first && first - e.OccurredAt <= _window)
            .OrderByDescending(e => e.OccurredAt)
            .FirstOrDefault();
        if (link is null)
        {
            return null;
        }
        var deviceFirstSeen = context.DeviceFirstSeen(link.DeviceFingerprint);
        var fromNewDevice = link.DeviceFingerprint is not null && deviceFirstSeen is not null && link.OccurredAt - deviceFirstSeen.Value <= _newDevice;
        if (!fromNewDevice)
        {
            return null;
        }
        var minutes = Math.Round((first - link.OccurredAt).TotalMinutes, 0);
        return Finding.Of(Name, _points, $"A bank account was linked from a new device {minutes:0} min before the first disputed transaction.",
            new { linked_at = link.OccurredAt, link.DeviceFingerprint, link.IpAddress, detail = link.Detail, minutes_before = minutes });
    }
}
