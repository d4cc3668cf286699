using System.Globalization;
using ClaimsOffice.Database.Approvals;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Ledger;
using ClaimsOffice.Database.Payouts;
using ClaimsOffice.Database.Review;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Approvals;
using ClaimsOffice.Worker.Review;
using ClaimsOffice.Worker.Tests.Review;

namespace ClaimsOffice.Worker.Tests.Approvals;

public sealed class PayoutApprovalServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>An agent with a ¥10,000 limit approves a ¥60,000 claim: its payout waits for finance.</summary>
    private static async Task<(long Agent, Claim Claim, PayoutApproval Approval)> WaitingPayoutAsync(ReviewWorld w, long agent)
    {
        var claim = await new ClaimInReviewBuilder().Disputing(60_000).InsertAsync(w.Db.Connections);
        var review = w.Get<ReviewService>();
        Assert.True((await review.TakeAsync(claim.Id, 0, agent, None)).Succeeded);
        var line = Assert.Single(await w.Get<ClaimReviewRepository>().ListDisputedAsync(claim.Id, None));
        var outcome = await review.ApproveAsync(claim.Id, 1, agent, [new ApprovalInput(line.TransactionId, "60000")], None);
        Assert.Equal(ReviewOutcomeKind.AwaitingApproval, outcome.Kind);
        return (agent, claim, Assert.Single(await w.Get<PayoutApprovalRepository>().ListForClaimAsync(claim.Id, None)));
    }

    [DatabaseTheory]
    public async Task The_agent_who_decided_a_claim_cannot_approve_its_payout_even_with_a_finance_role(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var both = await new StaffMemberBuilder().Named("Dual Role").Agent().Finance().WithLimit(10_000).InsertAsync(w.Db.Connections);
        var (_, claim, approval) = await WaitingPayoutAsync(w, both);
        // Raise the limit afterwards: even an approver whose limit covers it may not approve their own decision.
        await using (var c = await w.Db.Connections.OpenAsync(None))
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE staff_users SET approval_limit = 1000000 WHERE id = @both", new { both });
        }
        var footprint = await w.FootprintAsync();

        var outcome = await w.Get<PayoutApprovalService>().ApproveAsync(approval.Id, approval.Version, both, None);

        Assert.Equal(ReviewOutcomeKind.Forbidden, outcome.Kind);
        Assert.Contains("someone else must approve", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(footprint, await w.FootprintAsync());
        Assert.Equal(ReviewStatus.AwaitingApproval, (await w.ClaimAsync(claim.Id)).Status);
    }

    [DatabaseTheory]
    public async Task An_approver_within_their_limit_pays_once_through_the_ledger(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var agent = await new StaffMemberBuilder().Agent().WithLimit(10_000).InsertAsync(w.Db.Connections);
        var finance = await new StaffMemberBuilder().Named("Fumi Finance").Finance().WithLimit(100_000).InsertAsync(w.Db.Connections);
        var (_, claim, approval) = await WaitingPayoutAsync(w, agent);
        var service = w.Get<PayoutApprovalService>();

        var outcome = await service.ApproveAsync(approval.Id, approval.Version, finance, None);
        var again = await service.ApproveAsync(approval.Id, approval.Version, finance, None);

        Assert.Equal(ReviewOutcomeKind.Paid, outcome.Kind);
        Assert.Equal($"Paid ¥60,000 on claim {claim.ClaimNumber}.", outcome.Message);
        Assert.Equal(ReviewOutcomeKind.Conflict, again.Kind);
        var after = await w.ClaimAsync(claim.Id);
        Assert.Equal((ReviewStatus.Paid, (long?)60_000), (after.Status, after.PaidAmount));
        Assert.Equal(60_000, Assert.Single(await w.Get<PayoutRepository>().ListForClaimAsync(claim.Id, None)).Amount);
        Assert.Equal(60_000, await w.Get<LedgerRepository>().BalanceAsync(LedgerAccountKinds.WalletCode(claim.CustomerId), None));
        var closed = await w.Get<PayoutApprovalRepository>().GetAsync(approval.Id, None);
        Assert.Equal((PayoutApprovalStates.Paid, (long?)finance), (closed!.State, closed.FirstApproverId));
        Assert.Equal(["claim.taken", "claim.approved", "claim.paid"], await w.AuditActionsAsync(claim));
    }

    [DatabaseTheory]
    public async Task Above_the_approvers_limit_a_second_different_approver_is_needed(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var agent = await new StaffMemberBuilder().Agent().WithLimit(10_000).InsertAsync(w.Db.Connections);
        var first = await new StaffMemberBuilder().Named("First").Finance().WithLimit(50_000).InsertAsync(w.Db.Connections);
        var second = await new StaffMemberBuilder().Named("Second").Finance().WithLimit(20_000).InsertAsync(w.Db.Connections);
        var noLimit = await new StaffMemberBuilder().Named("No limit").Finance().InsertAsync(w.Db.Connections);
        var (_, claim, approval) = await WaitingPayoutAsync(w, agent);
        var service = w.Get<PayoutApprovalService>();

        Assert.Equal(ReviewOutcomeKind.Forbidden, (await service.ApproveAsync(approval.Id, approval.Version, noLimit, None)).Kind);
        var one = await service.ApproveAsync(approval.Id, approval.Version, first, None);
        Assert.Equal(ReviewOutcomeKind.Done, one.Kind);
        Assert.Contains("second approver", one.Message, StringComparison.Ordinal);
        Assert.Empty(await w.Get<PayoutRepository>().ListForClaimAsync(claim.Id, None));
        var pending = (await w.Get<PayoutApprovalRepository>().GetAsync(approval.Id, None))!;
        Assert.Equal((PayoutApprovalStates.Pending, (long?)first), (pending.State, pending.FirstApproverId));

        var sameAgain = await service.ApproveAsync(approval.Id, pending.Version, first, None);
        var stale = await service.ApproveAsync(approval.Id, approval.Version, second, None);
        Assert.Equal(ReviewOutcomeKind.Forbidden, sameAgain.Kind);
        Assert.Equal(ReviewOutcomeKind.Conflict, stale.Kind);
        Assert.Empty(await w.Get<PayoutRepository>().ListForClaimAsync(claim.Id, None));

        var two = await service.ApproveAsync(approval.Id, pending.Version, second, None);

        Assert.Equal(ReviewOutcomeKind.Paid, two.Kind);
        Assert.Single(await w.Get<PayoutRepository>().ListForClaimAsync(claim.Id, None));
        var done = (await w.Get<PayoutApprovalRepository>().GetAsync(approval.Id, None))!;
        Assert.Equal((PayoutApprovalStates.Paid, (long?)first, (long?)second), (done.State, done.FirstApproverId, done.SecondApproverId));
        var actions = (await w.Get<ClaimsOffice.Database.Audit.AuditLog>().ListForEntityAsync("payout_approval", approval.Id.ToString(CultureInfo.InvariantCulture), None)).Select(e => e.Action);
        Assert.Equal(["payout.approval-requested", "payout.first-approval", "payout.approved"], actions);
    }

    [DatabaseTheory]
    public async Task Rejecting_a_payout_needs_a_known_reason_and_sends_the_claim_back_to_review(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var agent = await new StaffMemberBuilder().Agent().WithLimit(10_000).InsertAsync(w.Db.Connections);
        var finance = await new StaffMemberBuilder().Finance().WithLimit(100_000).InsertAsync(w.Db.Connections);
        var (_, claim, approval) = await WaitingPayoutAsync(w, agent);
        var service = w.Get<PayoutApprovalService>();
        var footprint = await w.FootprintAsync();

        Assert.Equal(ReviewOutcomeKind.Invalid, (await service.RejectAsync(approval.Id, approval.Version, finance, "nope", "Too much.", None)).Kind);
        Assert.Equal(footprint, await w.FootprintAsync());

        var rejected = await service.RejectAsync(approval.Id, approval.Version, finance, "needs-more-review", "Check the second payment.", None);

        Assert.True(rejected.Succeeded, rejected.Message);
        Assert.Equal(ReviewStatus.InReview, (await w.ClaimAsync(claim.Id)).Status);
        Assert.Equal(PayoutApprovalStates.Rejected, (await w.Get<PayoutApprovalRepository>().GetAsync(approval.Id, None))!.State);
        Assert.Empty(await w.Get<PayoutRepository>().ListForClaimAsync(claim.Id, None));
        Assert.Equal(ReviewOutcomeKind.Conflict, (await service.ApproveAsync(approval.Id, approval.Version + 1, finance, None)).Kind);
    }

    [DatabaseTheory]
    public async Task Reconciliation_passes_on_a_clean_ledger_and_detects_a_tampered_posting(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var agent = await new StaffMemberBuilder().Agent().WithLimit(50_000).InsertAsync(w.Db.Connections);
        var claim = await new ClaimInReviewBuilder().Disputing(7_000).InsertAsync(w.Db.Connections);
        var review = w.Get<ReviewService>();
        Assert.True((await review.TakeAsync(claim.Id, 0, agent, None)).Succeeded);
        var line = Assert.Single(await w.Get<ClaimReviewRepository>().ListDisputedAsync(claim.Id, None));
        Assert.Equal(ReviewOutcomeKind.Paid, (await review.ApproveAsync(claim.Id, 1, agent, [new ApprovalInput(line.TransactionId, "7000")], None)).Kind);
        var reconciliation = w.Get<ReconciliationService>();

        var clean = await reconciliation.RunAsync(None);
        Assert.True(clean.Balanced, clean.Detail);
        Assert.Equal((1L, 1L), (clean.JournalsChecked, clean.WalletsChecked));

        await using (var c = await w.Db.Connections.OpenAsync(None))
        {
            await Dapper.SqlMapper.ExecuteAsync(c, """
                UPDATE ledger_postings SET amount = amount + 500
                WHERE account_id = (SELECT id FROM ledger_accounts WHERE code = @code)
                """, new { code = LedgerAccountKinds.WalletCode(claim.CustomerId) });
        }
        var tampered = await reconciliation.RunAsync(None);

        Assert.False(tampered.Balanced);
        Assert.Equal((1L, 1L), (tampered.UnbalancedJournals, tampered.MismatchedWallets));
        Assert.Contains("7500", tampered.Detail, StringComparison.Ordinal);
        Assert.Equal(tampered.Id, (await w.Get<LedgerReconciliationRepository>().LatestRunAsync(None))!.Id);
    }
}
