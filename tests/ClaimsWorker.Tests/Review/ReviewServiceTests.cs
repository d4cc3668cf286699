using ClaimsOffice.Database.Approvals;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Ledger;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Database.Payouts;
using ClaimsOffice.Database.Review;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Review;

namespace ClaimsOffice.Worker.Tests.Review;

public sealed class ReviewServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<(long Agent, ClaimsOffice.Database.Claims.Claim Claim)> TakenClaimAsync(ReviewWorld w, long agentLimit = 50_000, params long[] amounts)
    {
        var agent = await new StaffMemberBuilder().Named("Aiko Agent").Agent().WithLimit(agentLimit).InsertAsync(w.Db.Connections);
        var builder = new ClaimInReviewBuilder();
        foreach (var a in amounts.Length == 0 ? [12_000L] : amounts)
        {
            builder.Disputing(a);
        }
        var claim = await builder.InsertAsync(w.Db.Connections);
        var taken = await w.Get<ReviewService>().TakeAsync(claim.Id, 0, agent, None);
        Assert.True(taken.Succeeded, taken.Message);
        return (agent, claim);
    }

    private static async Task<IReadOnlyList<ApprovalInput>> FullAsync(ReviewWorld w, long claimId) =>
        [.. (await w.Get<ClaimReviewRepository>().ListDisputedAsync(claimId, None)).Select(d => new ApprovalInput(d.TransactionId, d.ClaimedAmount.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    [DatabaseTheory]
    public async Task Approving_within_the_agents_limit_pays_at_once_through_the_ledger(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var (agent, claim) = await TakenClaimAsync(w, 50_000, 12_000);
        var current = await w.ClaimAsync(claim.Id);

        var outcome = await w.Get<ReviewService>().ApproveAsync(claim.Id, current.Version, agent, await FullAsync(w, claim.Id), None);

        Assert.Equal(ReviewOutcomeKind.Paid, outcome.Kind);
        var after = await w.ClaimAsync(claim.Id);
        Assert.Equal(ReviewStatus.Paid, after.Status);
        Assert.Equal(12_000, after.PaidAmount);
        Assert.Null(after.AssignedTo);
        Assert.Equal(12_000, Assert.Single(await w.Get<PayoutRepository>().ListForClaimAsync(claim.Id, None)).Amount);
        Assert.Equal(12_000, await w.Get<LedgerRepository>().BalanceAsync(LedgerAccountKinds.WalletCode(claim.CustomerId), None));
        Assert.Equal(["claim.taken", "claim.approved", "claim.paid"], await w.AuditActionsAsync(claim));
        await w.Get<AuditLog>().SealPendingAsync(None);
        Assert.Null(await w.Get<AuditLog>().FindFirstBrokenEntryAsync(None));
        var message = Assert.Single(await w.Get<OutboxRepository>().ListForCustomerAsync(claim.CustomerId, None));
        Assert.Equal("Reimbursed ¥12,000", message.Subject);
        var decision = Assert.Single(await w.Get<ClaimReviewRepository>().ListDecisionsAsync(claim.Id, None));
        Assert.Equal((DecisionKinds.Approve, agent, 12_000L), (decision.Kind, decision.DecidedBy, decision.ApprovedAmount!.Value));
    }

    [DatabaseTheory]
    public async Task A_partial_approval_pays_only_the_approved_lines(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var (agent, claim) = await TakenClaimAsync(w, 50_000, 8_000, 5_000);
        var lines = await w.Get<ClaimReviewRepository>().ListDisputedAsync(claim.Id, None);
        var current = await w.ClaimAsync(claim.Id);

        var outcome = await w.Get<ReviewService>().ApproveAsync(claim.Id, current.Version, agent,
            [new ApprovalInput(lines[0].TransactionId, "8,000"), new ApprovalInput(lines[1].TransactionId, "1500")], None);

        Assert.Equal(ReviewOutcomeKind.Paid, outcome.Kind);
        var after = await w.ClaimAsync(claim.Id);
        Assert.Equal(ReviewStatus.PartiallyPaid, after.Status);
        Assert.Equal(9_500, Assert.Single(await w.Get<PayoutRepository>().ListForClaimAsync(claim.Id, None)).Amount);
        var decision = Assert.Single(await w.Get<ClaimReviewRepository>().ListDecisionsAsync(claim.Id, None));
        Assert.Equal(DecisionKinds.PartialApprove, decision.Kind);
        Assert.Equal([8_000L, 1_500L], (await w.Get<ClaimReviewRepository>().ListDecisionLinesAsync(decision.Id, None))
            .OrderBy(l => l.TransactionId).Select(l => l.ApprovedAmount));
    }

    [DatabaseTheory]
    public async Task Bad_amounts_are_refused_and_change_nothing(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var (agent, claim) = await TakenClaimAsync(w, 50_000, 8_000);
        var line = Assert.Single(await w.Get<ClaimReviewRepository>().ListDisputedAsync(claim.Id, None));
        var before = await w.ClaimAsync(claim.Id);
        var footprint = await w.FootprintAsync();
        var service = w.Get<ReviewService>();

        foreach (var (amount, expected) in new[] { ("8001", "more than"), ("-5", "negative"), ("abc", "not an amount"), ("0", "above zero"), ("", "Enter an amount"), ("12.5", "decimal places") })
        {
            var outcome = await service.ApproveAsync(claim.Id, before.Version, agent, [new ApprovalInput(line.TransactionId, amount)], None);
            Assert.Equal(ReviewOutcomeKind.Invalid, outcome.Kind);
            Assert.Contains(expected, outcome.Message, StringComparison.Ordinal);
        }
        var foreign = await service.ApproveAsync(claim.Id, before.Version, agent, [new ApprovalInput(line.TransactionId + 1000, "1")], None);
        Assert.Equal(ReviewOutcomeKind.Invalid, foreign.Kind);

        Assert.Equal(before, await w.ClaimAsync(claim.Id));
        Assert.Equal(footprint, await w.FootprintAsync());
    }

    [DatabaseTheory]
    public async Task An_unknown_rejection_reason_is_refused_and_a_known_one_rejects_and_tells_the_victim(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var (agent, claim) = await TakenClaimAsync(w);
        var before = await w.ClaimAsync(claim.Id);
        var footprint = await w.FootprintAsync();
        var service = w.Get<ReviewService>();

        var unknown = await service.RejectAsync(claim.Id, before.Version, agent, "because-i-say-so", "No.", None);
        Assert.Equal(ReviewOutcomeKind.Invalid, unknown.Kind);
        var noText = await service.RejectAsync(claim.Id, before.Version, agent, "own-device", "  ", None);
        Assert.Equal(ReviewOutcomeKind.Invalid, noText.Kind);
        Assert.Equal(before, await w.ClaimAsync(claim.Id));
        Assert.Equal(footprint, await w.FootprintAsync());

        var rejected = await service.RejectAsync(claim.Id, before.Version, agent, "own-device", "Paid from your phone of four years.", None);

        Assert.True(rejected.Succeeded, rejected.Message);
        var after = await w.ClaimAsync(claim.Id);
        Assert.Equal(ReviewStatus.Rejected, after.Status);
        Assert.NotNull(after.FirstDecidedAt);
        Assert.Empty(await w.Get<PayoutRepository>().ListForClaimAsync(claim.Id, None));
        var message = Assert.Single(await w.Get<OutboxRepository>().ListForCustomerAsync(claim.CustomerId, None));
        Assert.Contains("Made from the customer's own trusted device", message.Body, StringComparison.Ordinal);
        Assert.Contains("claim.rejected", await w.AuditActionsAsync(claim));
    }

    [DatabaseTheory]
    public async Task A_decision_on_a_claim_that_changed_meanwhile_is_refused_and_never_applied_twice(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var (agent, claim) = await TakenClaimAsync(w);
        var seen = await w.ClaimAsync(claim.Id);
        var service = w.Get<ReviewService>();
        // The agent's first click lands; the second (a double click, or a second tab on the old page) carries the old version.
        Assert.Equal(ReviewOutcomeKind.Paid, (await service.ApproveAsync(claim.Id, seen.Version, agent, await FullAsync(w, claim.Id), None)).Kind);
        var footprint = await w.FootprintAsync();

        var again = await service.ApproveAsync(claim.Id, seen.Version, agent, await FullAsync(w, claim.Id), None);

        Assert.Equal(ReviewOutcomeKind.Conflict, again.Kind);
        Assert.Contains("Nothing was applied", again.Message, StringComparison.Ordinal);
        Assert.Equal(footprint, await w.FootprintAsync());
        Assert.Single(await w.Get<PayoutRepository>().ListForClaimAsync(claim.Id, None));
    }

    [DatabaseTheory]
    public async Task A_stale_version_is_refused_even_for_the_holder(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var (agent, claim) = await TakenClaimAsync(w);
        var service = w.Get<ReviewService>();
        var stale = (await w.ClaimAsync(claim.Id)).Version;
        Assert.True((await service.AskInformationAsync(claim.Id, stale, agent, "Where were you on Tuesday?", None)).Succeeded);
        var footprint = await w.FootprintAsync();

        var outcome = await service.EscalateAsync(claim.Id, stale, agent, "Needs a senior.", None);

        Assert.Equal(ReviewOutcomeKind.Conflict, outcome.Kind);
        Assert.Equal(ReviewStatus.AwaitingInformation, (await w.ClaimAsync(claim.Id)).Status);
        Assert.Equal(footprint, await w.FootprintAsync());
    }

    [DatabaseTheory]
    public async Task Only_the_holder_decides_and_a_taken_claim_cannot_be_taken_again(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var (_, claim) = await TakenClaimAsync(w);
        var other = await new StaffMemberBuilder().Named("Ben Agent").Agent().WithLimit(50_000).InsertAsync(w.Db.Connections);
        var service = w.Get<ReviewService>();
        var current = await w.ClaimAsync(claim.Id);

        var take = await service.TakeAsync(claim.Id, current.Version, other, None);
        var approve = await service.ApproveAsync(claim.Id, current.Version, other, await FullAsync(w, claim.Id), None);

        Assert.Equal(ReviewOutcomeKind.Forbidden, take.Kind);
        Assert.Contains("Aiko Agent has already taken", take.Message, StringComparison.Ordinal);
        Assert.Equal(ReviewOutcomeKind.Forbidden, approve.Kind);
        Assert.Equal(ReviewStatus.InReview, (await w.ClaimAsync(claim.Id)).Status);
    }

    [DatabaseTheory]
    public async Task Two_agents_taking_the_same_claim_at_once_one_gets_it(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var a = await new StaffMemberBuilder().Named("A").Agent().InsertAsync(w.Db.Connections);
        var b = await new StaffMemberBuilder().Named("B").Agent().InsertAsync(w.Db.Connections);
        var claim = await new ClaimInReviewBuilder().InsertAsync(w.Db.Connections);
        var service = w.Get<ReviewService>();

        var results = await Task.WhenAll(service.TakeAsync(claim.Id, 0, a, None), service.TakeAsync(claim.Id, 0, b, None));

        Assert.Single(results, r => r.Succeeded);
        Assert.Single(results, r => !r.Succeeded);
        var after = await w.ClaimAsync(claim.Id);
        Assert.Contains(after.AssignedTo!.Value, new[] { a, b });
        Assert.Equal(1, after.Version);
        Assert.Equal(["claim.taken"], await w.AuditActionsAsync(claim));
    }

    [DatabaseTheory]
    public async Task Asking_the_victim_waits_for_the_answer_then_returns_the_claim_to_the_queue(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var (agent, claim) = await TakenClaimAsync(w);
        var service = w.Get<ReviewService>();

        var asked = await service.AskInformationAsync(claim.Id, (await w.ClaimAsync(claim.Id)).Version, agent, "Did you lend your phone to anyone?", None);

        Assert.True(asked.Succeeded, asked.Message);
        var waiting = await w.ClaimAsync(claim.Id);
        Assert.Equal(ReviewStatus.AwaitingInformation, waiting.Status);
        Assert.Equal(waiting.DecisionDueAt, waiting.NextDueAt);
        var message = Assert.Single(await w.Get<OutboxRepository>().ListForCustomerAsync(claim.CustomerId, None));
        Assert.Contains("Did you lend your phone to anyone?", message.Body, StringComparison.Ordinal);

        var stranger = await service.AnswerQuestionAsync(claim.CustomerId + 999, claim.ClaimNumber, "No", None);
        Assert.Equal(ReviewOutcomeKind.NotFound, stranger.Kind);
        var answered = await service.AnswerQuestionAsync(claim.CustomerId, claim.ClaimNumber, "No, never.", None);
        Assert.True(answered.Succeeded, answered.Message);
        var twice = await service.AnswerQuestionAsync(claim.CustomerId, claim.ClaimNumber, "Again", None);
        Assert.Equal(ReviewOutcomeKind.Invalid, twice.Kind);

        var back = await w.ClaimAsync(claim.Id);
        Assert.Equal(ReviewStatus.InReview, back.Status);
        Assert.Equal(agent, back.AssignedTo);
        var question = Assert.Single(await w.Get<ClaimReviewRepository>().ListQuestionsAsync(claim.Id, None));
        Assert.Equal("No, never.", question.Answer);
        Assert.Equal(["claim.taken", "claim.information-requested", "claim.information-provided"], await w.AuditActionsAsync(claim));
    }

    [DatabaseTheory]
    public async Task Escalating_unassigns_the_claim_and_notes_are_kept_in_order(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var (agent, claim) = await TakenClaimAsync(w);
        var service = w.Get<ReviewService>();
        Assert.True((await service.AddNoteAsync(claim.Id, agent, "Called the customer: no answer.", None)).Succeeded);
        Assert.Equal(ReviewOutcomeKind.Invalid, (await service.AddNoteAsync(claim.Id, agent, " ", None)).Kind);

        var escalated = await service.EscalateAsync(claim.Id, (await w.ClaimAsync(claim.Id)).Version, agent, "Amount pattern unusual.", None);

        Assert.True(escalated.Succeeded, escalated.Message);
        var after = await w.ClaimAsync(claim.Id);
        Assert.Equal((ReviewStatus.Escalated, (long?)null), (after.Status, after.AssignedTo));
        Assert.Equal("Called the customer: no answer.", Assert.Single(await w.Get<ClaimReviewRepository>().ListNotesAsync(claim.Id, None)).Body);
        Assert.Equal(["claim.taken", "claim.note-added", "claim.escalated"], await w.AuditActionsAsync(claim));
    }

    [DatabaseTheory]
    public async Task Above_the_agents_limit_the_payout_waits_for_finance(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var (agent, claim) = await TakenClaimAsync(w, 10_000, 12_000);

        var outcome = await w.Get<ReviewService>().ApproveAsync(claim.Id, (await w.ClaimAsync(claim.Id)).Version, agent, await FullAsync(w, claim.Id), None);

        Assert.Equal(ReviewOutcomeKind.AwaitingApproval, outcome.Kind);
        Assert.Equal(ReviewStatus.AwaitingApproval, (await w.ClaimAsync(claim.Id)).Status);
        Assert.Empty(await w.Get<PayoutRepository>().ListForClaimAsync(claim.Id, None));
        var approval = Assert.Single(await w.Get<PayoutApprovalRepository>().ListForClaimAsync(claim.Id, None));
        Assert.Equal((PayoutApprovalStates.Pending, 12_000L, agent), (approval.State, approval.RequestedAmount, approval.DecidedBy));
    }

    [DatabaseTheory]
    public async Task A_disabled_or_non_agent_account_cannot_act(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var claim = await new ClaimInReviewBuilder().InsertAsync(w.Db.Connections);
        var disabled = await new StaffMemberBuilder().Agent().Disabled(w.Clock.GetUtcNow()).InsertAsync(w.Db.Connections);
        var finance = await new StaffMemberBuilder().Finance().WithLimit(1_000_000).InsertAsync(w.Db.Connections);

        Assert.Equal(ReviewOutcomeKind.Forbidden, (await w.Get<ReviewService>().TakeAsync(claim.Id, 0, disabled, None)).Kind);
        Assert.Equal(ReviewOutcomeKind.Forbidden, (await w.Get<ReviewService>().TakeAsync(claim.Id, 0, finance, None)).Kind);
        Assert.Null((await w.ClaimAsync(claim.Id)).AssignedTo);
    }
}
