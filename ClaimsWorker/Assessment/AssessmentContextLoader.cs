using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment.Rules;
using ClaimsOffice.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Worker.Assessment;

/// <summary>Loads a claim's evidence: the disputed transactions, 90 days of history before them, and the signals around them.</summary>
public sealed class AssessmentContextLoader(
    TransactionRepository transactions,
    AssessmentSignalsRepository signals,
    IOptions<WorkerOptions> options,
    CategoryBaseline categoryBaseline)
{
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(90);

    /// <summary>How far back other claims count towards a campaign, and other payers towards a mule payee.</summary>
    public static readonly TimeSpan CampaignWindow = TimeSpan.FromDays(7);

    public async Task<AssessmentContext> LoadAsync(Claim claim, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return await LoadAsync(claim, await transactions.GetForClaimAsync(claim.Id, ct), ct);
    }

    /// <param name="disputed">The claim's transactions, as <see cref="ClaimRepository.GetWithTransactionsAsync"/> read them with it.</param>
    public async Task<AssessmentContext> LoadAsync(Claim claim, IReadOnlyList<PaymentTransaction> disputed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(disputed);
        if (disputed.Count == 0)
        {
            throw new InvalidOperationException($"Claim {claim.ClaimNumber} has no transactions.");
        }
        var first = disputed.Min(t => t.OccurredAt);
        var last = disputed.Max(t => t.OccurredAt);
        var from = first - LookBack;

        // Nothing after the claim was filed: the engine could not have known it then (and a backtest must not either).
        var asOf = claim.SubmittedAt;
        // Each distinct device and IP around its first disputed transaction, all counted in one query.
        var window = SharedDeviceOrIpRule.Window;
        var probes = new List<SeenWindow>();
        foreach (var t in disputed)
        {
            if (t.DeviceFingerprint is { } d && !probes.Exists(p => p.By == SeenBy.Device && p.Value == d))
            {
                probes.Add(new SeenWindow(SeenBy.Device, d, t.OccurredAt - window, Min(t.OccurredAt + window, asOf)));
            }
            if (t.IpAddress is { } ip && !probes.Exists(p => p.By == SeenBy.Ip && p.Value == ip))
            {
                probes.Add(new SeenWindow(SeenBy.Ip, ip, t.OccurredAt - window, Min(t.OccurredAt + window, asOf)));
            }
        }
        var payees = disputed.Where(t => t.Counterparty is not null).Select(t => t.Counterparty!).Distinct(StringComparer.Ordinal).ToList();
        // The account's facts, events and devices, the customer's claims and history, the accounts behind each device
        // and IP, the campaign links and the payees' other payers: one round trip.
        var signalsFound = await signals.GetClaimSignalsAsync(new ClaimSignalsQuery(claim.Id, claim.CustomerId,
            [.. disputed.Select(t => t.DeviceFingerprint).OfType<string>().Distinct(StringComparer.Ordinal)],
            [.. disputed.Select(t => t.IpAddress).OfType<string>().Distinct(StringComparer.Ordinal)],
            payees, asOf - CampaignWindow, first - CampaignWindow, asOf, from, last) { SeenWindows = probes }, ct);
        var perDevice = new Dictionary<string, long>(StringComparer.Ordinal);
        var perIp = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < probes.Count; i++)
        {
            (probes[i].By == SeenBy.Device ? perDevice : perIp)[probes[i].Value] = signalsFound.AccountsSeen[i];
        }
        var disputedIds = disputed.Select(t => t.Id).ToHashSet();
        var history = signalsFound.History.Where(t => !disputedIds.Contains(t.Id)).ToList();
        var earlier = signalsFound.CustomerClaims.Where(c => c.Id != claim.Id && c.SubmittedAt <= asOf).ToList();

        return new AssessmentContext
        {
            Claim = claim,
            Disputed = disputed,
            History = history,
            Events = signalsFound.Events,
            Devices = signalsFound.Devices,
            AccountsPerDevice = perDevice,
            AccountsPerIp = perIp,
            AutoPayoutLimit = options.Value.AutoPayoutLimit,
            Account = signalsFound.Account,
            EarlierClaims = earlier,
            CampaignLinks = signalsFound.CampaignLinks,
            OtherPayersPerPayee = signalsFound.OtherPayersPerPayee,
            // Only when a disputed payment has a category: other data never pays for the read.
            CategoryAmounts = disputed.Any(t => t.MerchantCategory is not null)
                ? await categoryBaseline.ForDayOfAsync(asOf, ct)
                : new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal),
        };
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
