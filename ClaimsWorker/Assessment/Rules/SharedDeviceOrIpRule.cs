using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// Credential stuffing: the device or IP address behind every disputed transaction was used on many
/// accounts within a day. A person's phone serves one or two accounts; an attacker's serves hundreds.
/// </summary>
public sealed class SharedDeviceOrIpRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 40;
    public const int ManyAccounts = 5;
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly int _many = parameters.Count("min_accounts", ManyAccounts);

    public string Name => "shared-device-or-ip";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var evidence = new List<object>();
        foreach (var t in context.Disputed)
        {
            var onDevice = t.DeviceFingerprint is { } d && context.AccountsPerDevice.TryGetValue(d, out var dc) ? dc : 0;
            var fromIp = t.IpAddress is { } ip && context.AccountsPerIp.TryGetValue(ip, out var ic) ? ic : 0;
            if (onDevice < _many && fromIp < _many)
            {
                return null;
            }
            evidence.Add(new { transaction = t.Reference, device = t.DeviceFingerprint, accounts_on_device = onDevice, ip = t.IpAddress, accounts_from_ip = fromIp });
        }
        var most = evidence.Count == 0 ? 0 : context.Disputed.Max(t =>
            Math.Max(t.DeviceFingerprint is { } d && context.AccountsPerDevice.TryGetValue(d, out var dc) ? dc : 0,
                     t.IpAddress is { } ip && context.AccountsPerIp.TryGetValue(ip, out var ic) ? ic : 0));
        var accounts = most >= CustomerRepository.AccountCountCap ? $"{most} or more" : $"up to {most}";
        return Finding.Of(Name, _points, $"The device or IP address behind the disputed transactions was used on {accounts} accounts within {Window.TotalHours:0} h.", evidence);
    }
}
