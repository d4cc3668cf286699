using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment;

namespace ClaimsOffice.Worker.Tests.Assessment;

/// <summary>Hand-built assessment contexts: no database, every signal set explicitly.</summary>
internal static class Contexts
{
    public const long CustomerId = 42;
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);
    private static int _sequence;

    public static PaymentTransaction Tx(DateTimeOffset at, long amount = 5_000, string? device = "dev-attacker", string? ip = "203.0.113.9",
        string kind = TransactionKinds.Payment, long customerId = CustomerId, string? liveClaim = null) => new()
    {
        Id = Interlocked.Increment(ref _sequence),
        Reference = $"TX-{Interlocked.Increment(ref _sequence):D6}",
        CustomerId = customerId,
        Kind = kind,
        Amount = amount,
        Currency = "JPY",
        OccurredAt = at,
        DeviceFingerprint = device,
        IpAddress = ip,
        LiveClaimNumber = liveClaim,
    };

    public static AccountEvent Event(string kind, DateTimeOffset at, string? device = null, string? ip = null, string? detail = null) => new()
    {
        Id = Interlocked.Increment(ref _sequence),
        CustomerId = CustomerId,
        Kind = kind,
        OccurredAt = at,
        DeviceFingerprint = device,
        IpAddress = ip,
        Detail = detail,
    };

    public static Device Device(string fingerprint, DateTimeOffset firstSeen) => new()
    {
        Id = Interlocked.Increment(ref _sequence),
        CustomerId = CustomerId,
        Fingerprint = fingerprint,
        Label = "Phone",
        FirstSeenAt = firstSeen,
        LastSeenAt = firstSeen,
    };

    /// <summary>A claim over <paramref name="disputed"/>, submitted at <see cref="Now"/> unless told otherwise; no history, no signals.</summary>
    public static AssessmentContext For(IReadOnlyList<PaymentTransaction> disputed, DateTimeOffset? submittedAt = null, long autoPayoutLimit = 100_000) => new()
    {
        Claim = new Claim
        {
            Id = 1,
            ClaimNumber = "CLM-2026-000001",
            CustomerId = CustomerId,
            Status = ClaimStatus.Submitted,
            Description = "Not me",
            TotalAmount = disputed.Sum(t => t.Amount),
            Currency = "JPY",
            SubmittedAt = submittedAt ?? Now,
            UpdatedAt = submittedAt ?? Now,
        },
        Disputed = disputed,
        History = [],
        Events = [],
        Devices = [],
        AccountsPerDevice = new Dictionary<string, long>(StringComparer.Ordinal),
        AccountsPerIp = new Dictionary<string, long>(StringComparer.Ordinal),
        AutoPayoutLimit = autoPayoutLimit,
    };

    /// <summary>Ordinary history: <paramref name="count"/> payments from the customer's own phone, one every 5 days before <paramref name="before"/>.</summary>
    public static IReadOnlyList<PaymentTransaction> OwnHistory(DateTimeOffset before, int count, long amount = 1_000, string device = "dev-own", string ip = "192.0.2.10") =>
        [.. Enumerable.Range(1, count).Select(i => Tx(before.AddDays(-5 * i), amount, device, ip))];
}
