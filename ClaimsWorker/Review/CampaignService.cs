using System.Globalization;
using ClaimsOffice.Database.Review;
using ClaimsOffice.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Worker.Review;

/// <summary>One claim of a bulk action and what happened to it.</summary>
public sealed record BulkItem(long ClaimId, string ClaimNumber, ReviewOutcome Outcome);

public sealed record BulkResult(IReadOnlyList<BulkItem> Items)
{
    /// <summary>Approved and paid at once (within the agent's and the automatic limit).</summary>
    public int Paid => Items.Count(i => i.Outcome.Kind == ReviewOutcomeKind.Paid);

    /// <summary>Approved, the payout waiting for finance (above the agent's or the automatic limit), as a single approval would.</summary>
    public int SentForApproval => Items.Count(i => i.Outcome.Kind == ReviewOutcomeKind.AwaitingApproval);

    public int Approved => Paid + SentForApproval;

    public int Skipped => Items.Count - Approved;

    public IEnumerable<BulkItem> SkippedItems => Items.Where(i => !i.Outcome.Succeeded);
}

/// <summary>What a bulk approval with the chosen findings would do, shown before the agent confirms it.</summary>
public sealed record BulkPreview(int PayNow, long PayNowAmount, int ForFinance, long ForFinanceAmount, int Skip, long AgentLimit, long AutoLimit)
{
    public int Approve => PayNow + ForFinance;
}

/// <summary>A finding that open claims of a campaign carry, and on how many of them it counts for the claim.</summary>
public sealed record CampaignRuleCount(string Rule, int Claims);

/// <summary>A campaign as its page shows it: the claims, the signals they share, and the findings to match on.</summary>
public sealed record CampaignFile(
    Campaign Campaign,
    IReadOnlyList<CampaignClaim> Claims,
    IReadOnlyList<SharedSignal> Signals,
    IReadOnlyDictionary<long, IReadOnlyList<CampaignFinding>> Findings,
    IReadOnlyList<CampaignRuleCount> SupportingRules)
{
    public IEnumerable<CampaignClaim> Decidable => Claims.Where(c => ReviewStatus.Decidable.Contains(c.Status));

    public long PaidAmount => Claims.Sum(c => c.PaidAmount ?? 0);

    public int Count(params string[] statuses) => Claims.Count(c => statuses.Contains(c.Status));
}

/// <summary>Campaigns of claims sharing attacker signals, and the bulk approval of a campaign's matching claims.</summary>
public sealed class CampaignService(
    CampaignRepository campaigns,
    ClaimReviewRepository claims,
    ReviewService review,
    StaffDirectory staff,
    IOptions<ReviewOptions> options,
    IOptions<WorkerOptions> worker,
    TimeProvider clock)
{
    /// <summary>Claims a campaign page lists (and a bulk action reaches) at most.</summary>
    public const int MaxClaims = 2_000;

    /// <summary>The one blocking finding a bulk approval passes: it only means the payout waits for finance.</summary>
    private const string AutoPayoutLimitRule = "auto-payout-limit";

    public Task<int> DetectAsync(CancellationToken ct) =>
        campaigns.DetectAsync(options.Value.CampaignMinimumClaims, clock.GetUtcNow(), ct);

    public async Task<CampaignFile?> LoadAsync(long campaignId, CancellationToken ct)
    {
        if (await campaigns.GetAsync(campaignId, ct) is not { } campaign)
        {
            return null;
        }
        var list = await campaigns.ListClaimsAsync(campaignId, MaxClaims, ct);
        var findings = (await campaigns.ListFindingsAsync(campaignId, ct)).GroupBy(f => f.ClaimId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CampaignFinding>)[.. g]);
        var decidable = list.Where(c => ReviewStatus.Decidable.Contains(c.Status)).Select(c => c.Id).ToHashSet();
        var rules = findings.Where(f => decidable.Contains(f.Key))
            .SelectMany(f => f.Value.Where(x => x.Points > 0).Select(x => x.Rule).Distinct(StringComparer.Ordinal))
            .GroupBy(r => r, StringComparer.Ordinal)
            .Select(g => new CampaignRuleCount(g.Key, g.Count()))
            .OrderByDescending(r => r.Claims).ThenBy(r => r.Rule, StringComparer.Ordinal).ToList();
        return new CampaignFile(campaign, list, await campaigns.ListSharedSignalsAsync(campaignId, ct), findings, rules);
    }

    /// <summary>
    /// Approves in full every claim of the campaign still to be decided whose latest assessment has each of
    /// <paramref name="requiredRules"/> with points for the claim and no finding that needs a person. Each claim is its
    /// own guarded transaction with its own audit entry, exactly as a single approval: within the agent's and the
    /// automatic limit it is paid, above either the payout waits for finance. A claim someone else holds, one that
    /// changed meanwhile, or one that does not match is skipped with the reason.
    /// </summary>
    public async Task<BulkResult> ApproveMatchingAsync(long campaignId, long agentId, IReadOnlyCollection<string> requiredRules, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requiredRules);
        if (requiredRules.Count == 0)
        {
            return new BulkResult([new BulkItem(0, "", ReviewOutcome.Invalid("Choose at least one finding that every approved claim must have."))]);
        }
        var file = await LoadAsync(campaignId, ct);
        if (file is null)
        {
            return new BulkResult([new BulkItem(0, "", ReviewOutcome.NotFound("The campaign"))]);
        }
        var items = new List<BulkItem>();
        foreach (var claim in file.Decidable.OrderBy(c => c.Id))
        {
            if (Mismatch(file, claim, requiredRules, agentId) is { } why)
            {
                items.Add(new BulkItem(claim.Id, claim.ClaimNumber, ReviewOutcome.Invalid($"Claim {claim.ClaimNumber}: {why}.")));
                continue;
            }
            var lines = (await claims.ListDisputedAsync(claim.Id, ct))
                .Select(d => new ApprovalInput(d.TransactionId, d.ClaimedAmount.ToString(CultureInfo.InvariantCulture))).ToList();
            // On the version just read: a claim that changed since (taken, decided) is refused, never decided twice.
            items.Add(new BulkItem(claim.Id, claim.ClaimNumber, await review.ApproveAsync(claim.Id, claim.Version, agentId, lines, bulk: true, ct)));
        }
        return new BulkResult(items);
    }

    /// <summary>What <see cref="ApproveMatchingAsync"/> would do now for this agent (the action checks everything again).</summary>
    public async Task<BulkPreview> PreviewAsync(CampaignFile file, long agentId, IReadOnlyCollection<string> requiredRules, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(requiredRules);
        var agentLimit = (await staff.GetAsync(agentId, ct))?.ApprovalLimit ?? 0;
        var autoLimit = worker.Value.AutoPayoutLimit;
        var matching = requiredRules.Count == 0 ? [] : file.Decidable.Where(c => Mismatch(file, c, requiredRules, agentId) is null).ToList();
        var payNow = matching.Where(c => c.TotalAmount <= agentLimit && c.TotalAmount <= autoLimit).ToList();
        var finance = matching.Except(payNow).ToList();
        return new BulkPreview(payNow.Count, payNow.Sum(c => c.TotalAmount), finance.Count, finance.Sum(c => c.TotalAmount),
            file.Decidable.Count() - matching.Count, agentLimit, autoLimit);
    }

    /// <summary>Why a claim may not be approved in bulk with these findings, or null when it may.</summary>
    private static string? Mismatch(CampaignFile file, CampaignClaim claim, IReadOnlyCollection<string> requiredRules, long agentId)
    {
        if (claim.AssignedTo is { } holder && holder != agentId)
        {
            return $"{claim.AssignedToName} has it; only they can decide it";
        }
        var findings = file.Findings.GetValueOrDefault(claim.Id) ?? [];
        var supported = findings.Where(f => f.Points > 0).Select(f => f.Rule).ToHashSet(StringComparer.Ordinal);
        var missing = requiredRules.Where(r => !supported.Contains(r)).ToList();
        if (missing.Count > 0)
        {
            return $"findings do not match (missing {string.Join(", ", missing)}); decide it on its own page";
        }
        var against = findings.Where(f => f.BlocksAutoPayout && f.Rule != AutoPayoutLimitRule).Select(f => f.Rule).ToList();
        return against.Count > 0 ? $"a finding needs a person ({string.Join(", ", against)}); decide it on its own page" : null;
    }
}
