using ClaimsOffice.Database.Approvals;
using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Review;
using ClaimsOffice.Database.Transactions;

namespace ClaimsOffice.Portal.Features.Staff.Claims;

/// <summary>One entry of the account's timeline around the disputed period.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string What, string? Device, string? Ip, bool Disputed);

/// <summary>Everything an agent reads before deciding a claim.</summary>
public sealed record ClaimFile(
    ReviewClaim Claim,
    Customer Victim,
    IReadOnlyList<DisputedLine> Disputed,
    Assessment? Assessment,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<RelatedClaim> Related,
    IReadOnlyList<ClaimNote> Notes,
    IReadOnlyList<ClaimQuestion> Questions,
    IReadOnlyList<ClaimDecision> Decisions,
    IReadOnlyList<PayoutApproval> Approvals,
    IReadOnlyList<AuditRecord> Audit);

/// <summary>Reads a claim's file from the repositories, one connection per read.</summary>
public sealed class ClaimFileQuery(
    ClaimReviewRepository claims,
    AssessmentRepository assessments,
    TransactionRepository transactions,
    CustomerRepository customers,
    PayoutApprovalRepository approvals,
    AuditLog audit)
{
    /// <summary>How far the timeline reaches before the first and after the last disputed transaction.</summary>
    public static readonly TimeSpan Before = TimeSpan.FromDays(7);
    public static readonly TimeSpan After = TimeSpan.FromDays(1);

    public async Task<ClaimFile?> LoadAsync(string claimNumber, CancellationToken ct)
    {
        var claim = await claims.GetByNumberAsync(claimNumber, ct);
        if (claim is null)
        {
            return null;
        }
        var victim = await claims.GetVictimAsync(claim.CustomerId, ct);
        var disputed = await claims.ListDisputedAsync(claim.Id, ct);
        var from = (disputed.Count == 0 ? claim.SubmittedAt : disputed.Min(d => d.OccurredAt)) - Before;
        var to = (disputed.Count == 0 ? claim.SubmittedAt : disputed.Max(d => d.OccurredAt)) + After;
        var disputedIds = disputed.Select(d => d.TransactionId).ToHashSet();
        var timeline = (await transactions.ListBetweenAsync(claim.CustomerId, from, to, ct))
            .Select(t => new TimelineEntry(t.OccurredAt, t.Kind, $"{t.Description} {t.Amount:#,0} {t.Currency}", t.DeviceFingerprint, t.IpAddress, disputedIds.Contains(t.Id)))
            .Concat((await customers.ListEventsAsync(claim.CustomerId, from, to, ct))
                .Select(e => new TimelineEntry(e.OccurredAt, e.Kind, e.Detail ?? e.Kind.Replace('_', ' '), e.DeviceFingerprint, e.IpAddress, false)))
            .OrderBy(e => e.At)
            .ToList();
        return new ClaimFile(
            claim,
            victim!,
            disputed,
            await assessments.GetLatestForClaimAsync(claim.Id, ct),
            timeline,
            await claims.ListRelatedAsync(claim.Id, 50, ct),
            await claims.ListNotesAsync(claim.Id, ct),
            await claims.ListQuestionsAsync(claim.Id, ct),
            await claims.ListDecisionsAsync(claim.Id, ct),
            await approvals.ListForClaimAsync(claim.Id, ct),
            await audit.ListForEntityAsync("claim", claim.ClaimNumber, ct));
    }
}
