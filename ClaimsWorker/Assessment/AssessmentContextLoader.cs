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
    CustomerRepository customers,
    IOptions<WorkerOptions> options)
{
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(90);

    public async Task<AssessmentContext> LoadAsync(Claim claim, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var disputed = await transactions.GetForClaimAsync(claim.Id, ct);
        if (disputed.Count == 0)
        {
            throw new InvalidOperationException($"Claim {claim.ClaimNumber} has no transactions.");
        }
        var first = disputed.Min(t => t.OccurredAt);
        var last = disputed.Max(t => t.OccurredAt);
        var from = first - LookBack;

        var disputedIds = disputed.Select(t => t.Id).ToHashSet();
        var history = (await transactions.ListBetweenAsync(claim.CustomerId, from, last, ct)).Where(t => !disputedIds.Contains(t.Id)).ToList();
        var events = await customers.ListEventsAsync(claim.CustomerId, from, last, ct);
        var devices = await customers.ListDevicesAsync(claim.CustomerId, ct);

        // Each distinct device and IP around its first disputed transaction, all counted in one query.
        var window = SharedDeviceOrIpRule.Window;
        var probes = new List<SeenWindow>();
        foreach (var t in disputed)
        {
            if (t.DeviceFingerprint is { } d && !probes.Exists(p => p.By == SeenBy.Device && p.Value == d))
            {
                probes.Add(new SeenWindow(SeenBy.Device, d, t.OccurredAt - window, t.OccurredAt + window));
            }
            if (t.IpAddress is { } ip && !probes.Exists(p => p.By == SeenBy.Ip && p.Value == ip))
            {
                probes.Add(new SeenWindow(SeenBy.Ip, ip, t.OccurredAt - window, t.OccurredAt + window));
            }
        }
        var counts = await customers.CountAccountsSeenAsync(probes, ct);
        var perDevice = new Dictionary<string, long>(StringComparer.Ordinal);
        var perIp = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < probes.Count; i++)
        {
            (probes[i].By == SeenBy.Device ? perDevice : perIp)[probes[i].Value] = counts[i];
        }

        return new AssessmentContext
        {
            Claim = claim,
            Disputed = disputed,
            History = history,
            Events = events,
            Devices = devices,
            AccountsPerDevice = perDevice,
            AccountsPerIp = perIp,
            AutoPayoutLimit = options.Value.AutoPayoutLimit,
        };
    }
}
