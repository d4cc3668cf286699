using System.Globalization;

namespace ClaimsOffice.Worker.Seeding;

/// <summary>How much demo data to make, and the seed that makes it the same every time.</summary>
public sealed record DemoSeedOptions(int Customers = 1000, int Seed = 20261121);

/// <summary>The three kinds of incident the demo data contains, one fixed demo victim each.</summary>
public static class DemoVictimKinds
{
    /// <summary>7pay-style: a few attacker devices and IPs sign in to hundreds of accounts and spend at once.</summary>
    public const string CredentialStuffing = "credential-stuffing";

    /// <summary>docomo 口座-style: a bank account is linked from a new device and drained minutes later.</summary>
    public const string BankLinkTakeover = "bank-link-takeover";

    /// <summary>A customer disputes a payment they made themselves, from their own long-used phone.</summary>
    public const string DisputesOwnPayment = "disputes-own-payment";

    /// <summary>
    /// Accounts taken over from one attacker phone and emptied into one mule account, each above the automatic payout
    /// limit: the claims go to people, and the staff campaign page groups them.
    /// </summary>
    public const string MuleTransfer = "mule-transfer";
}

/// <summary>A fixed, memorable demo person and the references of the transactions they should mark "Not me".</summary>
public sealed record DemoVictim(string Kind, string FullName, string Email, string Phone, IReadOnlyList<string> DisputeReferences);

/// <summary>
/// What the database holds after seeding (row counts of the demo tables) and the demo victims.
/// <see cref="AlreadySeeded"/> is true when the database already had customers and nothing was written.
/// </summary>
public sealed record SeedReport(
    bool AlreadySeeded,
    long Customers,
    long Devices,
    long Events,
    long Transactions,
    long Merchants,
    IReadOnlyList<DemoVictim> Victims)
{
    /// <summary>Every incident victim written by this run (empty when <see cref="AlreadySeeded"/>); for tests.</summary>
    internal IReadOnlyList<SeededIncident> Incidents { get; init; } = [];

    /// <summary>What the CLI and the start-up log print.</summary>
    public override string ToString()
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{(AlreadySeeded ? "Already seeded" : "Seeded")}: {Customers} customers, {Devices} devices, {Events} account events, {Transactions} transactions, {Merchants} merchants."),
        };
        lines.AddRange(Victims.Select(v => $"  {v.Kind}: {v.FullName} <{v.Email}> {v.Phone}; dispute {string.Join(", ", v.DisputeReferences)}"));
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>One customer hit by an incident, and the references of the transactions they would dispute.</summary>
internal sealed record SeededIncident(string Kind, long CustomerId, IReadOnlyList<string> References);
