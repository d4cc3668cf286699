using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Approvals;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Database.Review;
using ClaimsOffice.Worker.Notifications;
using ClaimsOffice.Worker.Payouts;
using ClaimsOffice.Worker.Review;

namespace ClaimsOffice.Worker.Approvals;

/// <summary>
/// Finance's side of a payout above the automatic or the agent's limit. Four eyes: the approver is never
/// the agent who decided the claim. An approver whose limit is below the amount records a first approval;
/// a second, different approver then completes it. The payout itself goes through <see cref="PayoutService"/>,
/// the same exactly-once ledger path as automatic payouts, in the transaction that closes the approval.
/// </summary>
public sealed class PayoutApprovalService(
    IDbConnectionFactory connections,
    PayoutApprovalRepository approvals,
    ClaimReviewRepository claims,
    StaffDirectory staff,
    PayoutService payouts,
    AuditLog audit,
    OutboxRepository outbox,
    IReviewChangeNotifier notifier,
    TimeProvider clock)
{
    public async Task<ReviewOutcome> ApproveAsync(long approvalId, int expectedVersion, long approverId, CancellationToken ct)
    {
        var (approver, approval, refused) = await LoadAsync(approvalId, approverId, ct);
        if (refused is not null)
        {
            return refused;
        }
        if (approver!.Id == approval!.FirstApproverId)
        {
            return ReviewOutcome.Forbidden("You already approved this payout: a second, different approver must complete it.");
        }
        if (approver.ApprovalLimit <= 0)
        {
            return ReviewOutcome.Forbidden("You have no approval limit: an admin sets it.");
        }
        var completes = approval.FirstApproverId is not null || approval.RequestedAmount <= approver.ApprovalLimit;
        var claim = await claims.GetAsync(approval.ClaimId, ct);
        if (claim is null)
        {
            return ReviewOutcome.NotFound("The claim");
        }

        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var entries = new List<AuditEntry>();
        var id = approval.Id.ToString(CultureInfo.InvariantCulture);
        ReviewOutcome outcome;
        try
        {
            if (!completes)
            {
                if (!await approvals.TryFirstApproveAsync(approval.Id, expectedVersion, approver.Id, now, tx, ct))
                {
                    return await ChangedAsync(tx, approval);
                }
                entries.Add(new AuditEntry(approver.Actor(), "payout.first-approval", "payout_approval", id,
                    JsonSerializer.Serialize(new { claim = approval.ClaimNumber, amount = approval.RequestedAmount, limit = approver.ApprovalLimit }), now));
                outcome = ReviewOutcome.Done($"Approved. {approval.RequestedAmount} is above your limit, so a second approver must also approve it.");
            }
            else
            {
                var asSecond = approval.FirstApproverId is not null;
                if (!await approvals.TryCompleteAsync(approval.Id, expectedVersion, approver.Id, asSecond, now, tx, ct))
                {
                    return await ChangedAsync(tx, approval);
                }
                var paid = approval.RequestedAmount;
                var moved = await claims.TryTransitionAsync(new ClaimTransition
                {
                    ClaimId = claim.Id,
                    From = [ReviewStatus.AwaitingApproval],
                    To = paid == claim.TotalAmount ? ReviewStatus.Paid : ReviewStatus.PartiallyPaid,
                    Now = now,
                    PaidAmount = paid,
                }, tx, ct);
                if (!moved)
                {
                    return await ChangedAsync(tx, approval);
                }
                entries.Add(new AuditEntry(approver.Actor(), "payout.approved", "payout_approval", id,
                    JsonSerializer.Serialize(new { claim = approval.ClaimNumber, amount = paid, second = asSecond }), now));
                await payouts.PayAsync(claim.ToClaim(), paid, now, approver.Actor(), entries, tx, ct);
                await outbox.EnqueueAsync(ReviewMessages.Paid(claim, paid, now), tx, ct);
                outcome = new ReviewOutcome(ReviewOutcomeKind.Paid, $"Paid {MoneyFormat.Format(paid, claim.Currency)} on claim {approval.ClaimNumber}.");
            }
        }
        catch (DbException e) when (connections.Dialect.IsUniqueViolation(e))
        {
            // The claim already has a payout: the unique key refused a second one.
            return await ChangedAsync(tx, approval);
        }
        await audit.AppendAsync(entries, tx, ct);
        await tx.CommitAsync(ct);
        notifier.ClaimChanged(claim.Id);
        return outcome;
    }

    /// <summary>Refuses the payout with a reason from the list; the claim goes back to the review queue.</summary>
    public async Task<ReviewOutcome> RejectAsync(long approvalId, int expectedVersion, long approverId, string? reasonCode, string? text, CancellationToken ct)
    {
        if (reasonCode is null || !ReasonCodes.PayoutRejection.ContainsKey(reasonCode))
        {
            return ReviewOutcome.Invalid($"Choose a reason from the list (\"{reasonCode}\" is not one).");
        }
        if (string.IsNullOrWhiteSpace(text) || text.Length > ReviewService.MaxTextLength)
        {
            return ReviewOutcome.Invalid($"Write the reason (up to {ReviewService.MaxTextLength} characters).");
        }
        var (approver, approval, refused) = await LoadAsync(approvalId, approverId, ct);
        if (refused is not null)
        {
            return refused;
        }
        var claim = await claims.GetAsync(approval!.ClaimId, ct);
        if (claim is null)
        {
            return ReviewOutcome.NotFound("The claim");
        }
        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        if (!await approvals.TryRejectAsync(approval.Id, expectedVersion, approver!.Id, reasonCode, text.Trim(), now, tx, ct)
            || !await claims.TryTransitionAsync(new ClaimTransition
            {
                ClaimId = claim.Id,
                From = [ReviewStatus.AwaitingApproval],
                To = ReviewStatus.InReview,
                Now = now,
            }, tx, ct))
        {
            return await ChangedAsync(tx, approval);
        }
        await outbox.EnqueueAsync(ReviewMessages.StillInReview(claim, now), tx, ct);
        await audit.AppendAsync(new AuditEntry(approver.Actor(), "payout.rejected", "payout_approval", approval.Id.ToString(CultureInfo.InvariantCulture),
            JsonSerializer.Serialize(new { claim = approval.ClaimNumber, reason_code = reasonCode, text = text.Trim() }), now), tx, ct);
        await tx.CommitAsync(ct);
        notifier.ClaimChanged(claim.Id);
        return ReviewOutcome.Done($"Payout for claim {approval.ClaimNumber} refused; the claim is back in the review queue.");
    }

    private async Task<(StaffMember? Approver, PayoutApproval? Approval, ReviewOutcome? Refused)> LoadAsync(long approvalId, long approverId, CancellationToken ct)
    {
        var approver = await staff.GetAsync(approverId, ct);
        if (approver is null || !approver.IsActive || !approver.HasRole(StaffDirectory.FinanceRole))
        {
            return (null, null, ReviewOutcome.Forbidden("Only an active finance approver can do this."));
        }
        var approval = await approvals.GetAsync(approvalId, ct);
        if (approval is null)
        {
            return (approver, null, ReviewOutcome.NotFound("The payout approval"));
        }
        var decidedByApprover = approval.DecidedBy == approver.Id
            || (await claims.ListDecisionsAsync(approval.ClaimId, ct)).Any(d => d.DecidedBy == approver.Id);
        if (decidedByApprover)
        {
            return (approver, approval, ReviewOutcome.Forbidden($"You decided claim {approval.ClaimNumber}: someone else must approve its payout."));
        }
        if (approval.State != PayoutApprovalStates.Pending)
        {
            return (approver, approval, new ReviewOutcome(ReviewOutcomeKind.Conflict, $"The payout for claim {approval.ClaimNumber} is already {approval.State}."));
        }
        return (approver, approval, null);
    }

    private static async Task<ReviewOutcome> ChangedAsync(DbTransaction tx, PayoutApproval approval)
    {
        await tx.RollbackAsync(CancellationToken.None);
        return new ReviewOutcome(ReviewOutcomeKind.Conflict,
            $"The payout for claim {approval.ClaimNumber} changed since you opened it (another approver acted). Nothing was applied: reload it.");
    }
}
