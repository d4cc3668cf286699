using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Transactions;

namespace ClaimsOffice.Worker.Assessment;

/// <summary>Everything the rules may look at for one claim, loaded once. Rules are pure functions of it.</summary>
public sealed record AssessmentContext
{
    public required Claim Claim { get; init; }
    public required IReadOnlyList<PaymentTransaction> Disputed { get; init; }
    /// <summary>The customer's other transactions in the look-back window before the claim.</summary>
    public required IReadOnlyList<PaymentTransaction> History { get; init; }
    public required IReadOnlyList<AccountEvent> Events { get; init; }
    public required IReadOnlyList<Device> Devices { get; init; }
    /// <summary>Distinct accounts seen on each disputed transaction's device around the time it was used.</summary>
    public required IReadOnlyDictionary<string, long> AccountsPerDevice { get; init; }
    /// <summary>Distinct accounts seen from each disputed transaction's IP address around the time it was used.</summary>
    public required IReadOnlyDictionary<string, long> AccountsPerIp { get; init; }
    public required long AutoPayoutLimit { get; init; }

    /// <summary>The claimant's account; null when the platform did not send it.</summary>
    public AccountFacts? Account { get; init; }

    /// <summary>The claimant's claims submitted before this one, newest first.</summary>
    public IReadOnlyList<Claim> EarlierClaims { get; init; } = [];

    /// <summary>Other customers' recent claims sharing a device, IP address or payee with the disputed transactions.</summary>
    public IReadOnlyList<CampaignLink> CampaignLinks { get; init; } = [];

    /// <summary>For each disputed transaction's payee: how many other accounts paid it shortly before.</summary>
    public IReadOnlyDictionary<string, long> OtherPayersPerPayee { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>
    /// What everybody paid in each merchant category and currency (keyed by CategoryBaseline.Key) in the weeks before the claim's day: amounts in minor
    /// units, ascending (the population's norm; see CategoryBaseline). Empty when the data has no categories.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<long>> CategoryAmounts { get; init; } = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);

    /// <summary>The customer's outgoing transactions in the history: their usual pattern.</summary>
    public IEnumerable<PaymentTransaction> UsualOutgoing => History.Where(t => t.IsOutgoing);

    /// <summary>The payee of a transaction: the merchant, else the counterparty.</summary>
    public static string? PayeeOf(PaymentTransaction t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t.MerchantName ?? t.Counterparty;
    }

    /// <summary>When the customer's account first used this device (null: never before this claim's window).</summary>
    public DateTimeOffset? DeviceFirstSeen(string? fingerprint)
    {
        if (fingerprint is null)
        {
            return null;
        }
        var times = Devices.Where(d => d.Fingerprint == fingerprint).Select(d => d.FirstSeenAt)
            .Concat(History.Where(t => t.DeviceFingerprint == fingerprint).Select(t => t.OccurredAt))
            .Concat(Events.Where(e => e.DeviceFingerprint == fingerprint).Select(e => e.OccurredAt))
            .ToList();
        return times.Count == 0 ? null : times.Min();
    }

    /// <summary>When the customer's account was first seen from this IP address.</summary>
    public DateTimeOffset? IpFirstSeen(string? ip)
    {
        if (ip is null)
        {
            return null;
        }
        var times = History.Where(t => t.IpAddress == ip).Select(t => t.OccurredAt)
            .Concat(Events.Where(e => e.IpAddress == ip).Select(e => e.OccurredAt))
            .ToList();
        return times.Count == 0 ? null : times.Min();
    }
}
