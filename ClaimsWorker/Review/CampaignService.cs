using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Review;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Worker.Review;

/// <summary>One claim of a bulk action and what happened to it.</summary>
public sealed record BulkItem(long ClaimId, ReviewOutcome Outcome);

public sealed record BulkResult(IReadOnlyList<BulkItem> Items)
{
    public int Approved => Items.Count(i => i.Outcome.Succeeded);
    public int Skipped => Items.Count - Approved;
}

/// <summary>Campaigns of claims sharing attacker signals, and the bulk approval of a campaign's matching claims.</summary>
public sealed class CampaignService(
    CampaignRepository campaigns,
    ClaimReviewRepository claims,
    AssessmentRepository assessments,
    ReviewService review,
    IOptions<ReviewOptions> options,
    TimeProvider clock)
{
    public Task<int> DetectAsync(CancellationToken ct) =>
        campaigns.DetectAsync(options.Value.CampaignMinimumClaims, clock.GetUtcNow(), ct);

    /// <summary>
    /// Approves in full every open claim of the campaign whose assessment has each of <paramref name="requiredRules"/>
    /// with points for the claim, within the agent's limits (nothing above them is paid in bulk). Each claim is its
    /// own guarded transaction with its own audit entry; a claim someone else holds, or one that does not match, is skipped.
    /// </summary>
    public async Task<BulkResult> ApproveMatchingAsync(long campaignId, long agentId, IReadOnlyCollection<string> requiredRules, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requiredRules);
        if (requiredRules.Count == 0)
        {
            return new BulkResult([new BulkItem(0, ReviewOutcome.Invalid("Choose at least one finding that every approved claim must have."))]);
        }
        var items = new List<BulkItem>();
        foreach (var claimId in await campaigns.ListOpenClaimIdsAsync(campaignId, ct))
        {
            var assessment = await assessments.GetLatestForClaimAsync(claimId, ct);
            var supported = assessment?.Findings.Where(f => f.Points > 0).Select(f => f.Rule).ToHashSet(StringComparer.Ordinal) ?? [];
            var missing = requiredRules.Where(r => !supported.Contains(r)).ToList();
            if (missing.Count > 0)
            {
                items.Add(new BulkItem(claimId, ReviewOutcome.Invalid($"Findings do not match (missing {string.Join(", ", missing)}).")));
                continue;
            }
            var lines = (await claims.ListDisputedAsync(claimId, ct))
                .Select(d => new ApprovalInput(d.TransactionId, d.ClaimedAmount.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
            items.Add(new BulkItem(claimId, await review.ApproveAsync(claimId, null, agentId, lines, bulk: true, ct)));
        }
        return new BulkResult(items);
    }
}
