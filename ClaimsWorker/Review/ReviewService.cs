using System.Data.Common;
using System.Text.Json;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Approvals;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Database.Review;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Payouts;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Worker.Review;

/// <summary>An amount a person typed for one disputed transaction (text: the service validates it).</summary>
public sealed record ApprovalInput(long TransactionId, string Amount);

/// <summary>
/// What agents do to a claim in review. Each action is one transaction: a guarded update of the claim
/// (on the version the agent saw, in a state it may leave, held by that agent), the decision row, the
/// victim's notice and, last, the audit entries. When the guard fails nothing is written and the agent
/// is told the claim changed. Permissions and limits are checked here, not only in the pages.
/// </summary>
public sealed class ReviewService(
    IDbConnectionFactory connections,
    ClaimReviewRepository claims,
    PayoutApprovalRepository approvals,
    StaffDirectory staff,
    PayoutService payouts,
    AuditLog audit,
    OutboxRepository outbox,
    ReviewDeadlines deadlines,
    IReviewChangeNotifier notifier,
    IOptions<WorkerOptions> worker,
    TimeProvider clock)
{
    public const int MaxTextLength = 2_000;

    /// <summary>Takes an unassigned claim. Of two agents taking it at once exactly one gets it.</summary>
    public async Task<ReviewOutcome> TakeAsync(long claimId, int expectedVersion, long agentId, CancellationToken ct)
    {
        var (agent, claim, refused) = await LoadAsync(claimId, agentId, requireHolder: false, ct);
        if (refused is not null)
        {
            return refused;
        }
        if (claim!.AssignedTo is { } holder)
        {
            return holder == agentId
                ? ReviewOutcome.Done($"You already have claim {claim.ClaimNumber}.")
                : ReviewOutcome.Forbidden($"{claim.AssignedToName} has already taken claim {claim.ClaimNumber}.");
        }
        return await CommitAsync(claim, async (tx, entries, now) =>
        {
            if (!await claims.TryAssignAsync(claim.Id, expectedVersion, agent!.Id, now, tx, ct))
            {
                return ReviewOutcome.Changed(claim.ClaimNumber);
            }
            entries.Add(Entry(agent, "claim.taken", claim, new { assigned_to = agent.Id }, now));
            return ReviewOutcome.Done($"You have claim {claim.ClaimNumber}.");
        }, ct);
    }

    public async Task<ReviewOutcome> ReleaseAsync(long claimId, int expectedVersion, long agentId, CancellationToken ct)
    {
        var (agent, claim, refused) = await LoadAsync(claimId, agentId, requireHolder: true, ct);
        if (refused is not null)
        {
            return refused;
        }
        return await CommitAsync(claim!, async (tx, entries, now) =>
        {
            if (!await claims.TryUnassignAsync(claim!.Id, expectedVersion, agent!.Id, now, tx, ct))
            {
                return ReviewOutcome.Changed(claim.ClaimNumber);
            }
            entries.Add(Entry(agent, "claim.released", claim, new { }, now));
            return ReviewOutcome.Done($"Claim {claim.ClaimNumber} is back in the queue.");
        }, ct);
    }

    /// <summary>
    /// Approves all or part of a claim, per disputed transaction. At or below both the agent's limit and the
    /// automatic limit it pays at once through the ledger; above either it waits for finance.
    /// </summary>
    public Task<ReviewOutcome> ApproveAsync(long claimId, int expectedVersion, long agentId, IReadOnlyList<ApprovalInput> lines, CancellationToken ct) =>
        ApproveAsync(claimId, expectedVersion, agentId, lines, bulk: false, ct);

    internal async Task<ReviewOutcome> ApproveAsync(long claimId, int? expectedVersion, long agentId, IReadOnlyList<ApprovalInput> lines, bool bulk, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var (agent, claim, refused) = await LoadAsync(claimId, agentId, requireHolder: !bulk, ct);
        if (refused is not null)
        {
            return refused;
        }
        var disputed = await claims.ListDisputedAsync(claim!.Id, ct);
        var (approved, error) = ReadAmounts(claim, disputed, lines);
        if (error is not null)
        {
            return ReviewOutcome.Invalid(error);
        }
        var total = approved.Sum(l => l.ApprovedAmount);
        var payNow = total <= agent!.ApprovalLimit && total <= worker.Value.AutoPayoutLimit;
        var kind = total == claim.TotalAmount ? DecisionKinds.Approve : DecisionKinds.PartialApprove;
        return await CommitAsync(claim, async (tx, entries, now) =>
        {
            var to = payNow ? (total == claim.TotalAmount ? ReviewStatus.Paid : ReviewStatus.PartiallyPaid) : ReviewStatus.AwaitingApproval;
            var moved = await claims.TryTransitionAsync(new ClaimTransition
            {
                ClaimId = claim.Id,
                ExpectedVersion = expectedVersion ?? claim.Version,
                Assignee = agent.Id,
                AllowUnassigned = bulk,
                From = ReviewStatus.Decidable,
                To = to,
                Now = now,
                IsDecision = true,
                NextDueAt = claim.DecisionDueAt ?? deadlines.FinalDecisionDue(claim.SubmittedAt),
                KeepAssignment = false,
                PaidAmount = payNow ? total : null,
            }, tx, ct);
            if (!moved)
            {
                return ReviewOutcome.Changed(claim.ClaimNumber);
            }
            var decisionId = await claims.InsertDecisionAsync(new NewDecision(claim.Id, agent.Id, kind, null, null, total,
                claim.Version, now, approved), tx, ct);
            entries.Add(Entry(agent, kind == DecisionKinds.Approve ? "claim.approved" : "claim.partially-approved", claim,
                new { decision_id = decisionId, amount = total, lines = approved.Select(l => new { l.TransactionId, l.ApprovedAmount }), bulk }, now));
            if (payNow)
            {
                await payouts.PayAsync(claim.ToClaim(), total, now, agent.Actor(), entries, tx, ct);
                await outbox.EnqueueAsync(ReviewMessages.Paid(claim, total, now), tx, ct);
                return new ReviewOutcome(ReviewOutcomeKind.Paid, $"Claim {claim.ClaimNumber} approved and paid.");
            }
            var approvalId = await approvals.InsertAsync(claim.Id, decisionId, total, claim.Currency, agent.Id, now, tx, ct);
            entries.Add(new AuditEntry(agent.Actor(), "payout.approval-requested", "payout_approval", approvalId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                JsonSerializer.Serialize(new { claim = claim.ClaimNumber, amount = total }), now));
            await outbox.EnqueueAsync(ReviewMessages.ApprovedPendingPayout(claim, total, now), tx, ct);
            return new ReviewOutcome(ReviewOutcomeKind.AwaitingApproval, $"Claim {claim.ClaimNumber} approved; the payout waits for finance (above your or the automatic limit).");
        }, ct);
    }

    public async Task<ReviewOutcome> RejectAsync(long claimId, int expectedVersion, long agentId, string? reasonCode, string? text, CancellationToken ct)
    {
        if (reasonCode is null || !ReasonCodes.Rejection.TryGetValue(reasonCode, out var reason))
        {
            return ReviewOutcome.Invalid($"Choose a reason from the list (\"{reasonCode}\" is not one).");
        }
        if (TextError(text, "the explanation", required: true) is { } error)
        {
            return ReviewOutcome.Invalid(error);
        }
        return await DecideAsync(claimId, expectedVersion, agentId, ReviewStatus.Rejected, DecisionKinds.Reject, reasonCode, text!.Trim(), "claim.rejected",
            (claim, now) => ReviewMessages.Rejected(claim, reason, text.Trim(), now), "rejected", ct);
    }

    /// <summary>Asks the victim a question; the claim waits for the answer and returns to the queue when it comes.</summary>
    public async Task<ReviewOutcome> AskInformationAsync(long claimId, int expectedVersion, long agentId, string? question, CancellationToken ct)
    {
        if (TextError(question, "the question", required: true) is { } error)
        {
            return ReviewOutcome.Invalid(error);
        }
        var q = question!.Trim();
        return await DecideAsync(claimId, expectedVersion, agentId, ReviewStatus.AwaitingInformation, DecisionKinds.AskInformation, null, q, "claim.information-requested",
            (claim, now) => ReviewMessages.InformationRequested(claim, q, now), "waiting for the victim's answer", ct,
            async (claim, agent, tx, now) => await claims.InsertQuestionAsync(claim.Id, agent.Id, q, now, tx, ct));
    }

    public async Task<ReviewOutcome> EscalateAsync(long claimId, int expectedVersion, long agentId, string? text, CancellationToken ct)
    {
        if (TextError(text, "the reason", required: true) is { } error)
        {
            return ReviewOutcome.Invalid(error);
        }
        return await DecideAsync(claimId, expectedVersion, agentId, ReviewStatus.Escalated, DecisionKinds.Escalate, null, text!.Trim(), "claim.escalated",
            (claim, now) => ReviewMessages.Escalated(claim, now), "escalated", ct);
    }

    /// <summary>An internal note: any agent may add one to a claim; it changes no state, so it needs no version.</summary>
    public async Task<ReviewOutcome> AddNoteAsync(long claimId, long agentId, string? body, CancellationToken ct)
    {
        if (TextError(body, "the note", required: true) is { } error)
        {
            return ReviewOutcome.Invalid(error);
        }
        var (agent, claim, refused) = await LoadAsync(claimId, agentId, requireHolder: false, ct);
        if (refused is not null)
        {
            return refused;
        }
        return await CommitAsync(claim!, async (tx, entries, now) =>
        {
            var id = await claims.InsertNoteAsync(claim!.Id, agent!.Id, body!.Trim(), now, tx, ct);
            entries.Add(Entry(agent, "claim.note-added", claim, new { note_id = id }, now));
            return ReviewOutcome.Done("Note added.");
        }, ct, notify: false);
    }

    /// <summary>The victim answers the open question on their own claim; the claim goes back to the queue.</summary>
    public async Task<ReviewOutcome> AnswerQuestionAsync(long customerId, string claimNumber, string? answer, CancellationToken ct)
    {
        if (TextError(answer, "your answer", required: true) is { } error)
        {
            return ReviewOutcome.Invalid(error);
        }
        var claim = await claims.GetByNumberAsync(claimNumber, ct);
        if (claim is null || claim.CustomerId != customerId)
        {
            return ReviewOutcome.NotFound("That claim");
        }
        var open = (await claims.ListQuestionsAsync(claim.Id, ct)).LastOrDefault(q => q.AnsweredAt is null);
        if (open is null || claim.Status != ReviewStatus.AwaitingInformation)
        {
            return ReviewOutcome.Invalid("There is no open question on this claim.");
        }
        return await CommitAsync(claim, async (tx, entries, now) =>
        {
            var moved = await claims.TryTransitionAsync(new ClaimTransition
            {
                ClaimId = claim.Id,
                ExpectedVersion = claim.Version,
                From = [ReviewStatus.AwaitingInformation],
                To = ReviewStatus.InReview,
                Now = now,
                KeepAssignment = true,
            }, tx, ct);
            if (!moved || !await claims.TryAnswerAsync(open.Id, answer!.Trim(), now, tx, ct))
            {
                return ReviewOutcome.Invalid("This question was already answered.");
            }
            entries.Add(new AuditEntry($"customer:{customerId}", "claim.information-provided", "claim", claim.ClaimNumber,
                JsonSerializer.Serialize(new { question_id = open.Id }), now));
            return ReviewOutcome.Done("Thank you: your answer is with the person reviewing your claim.");
        }, ct);
    }

    private async Task<ReviewOutcome> DecideAsync(long claimId, int expectedVersion, long agentId, string to, string kind, string? reasonCode, string text,
        string action, Func<ReviewClaim, DateTimeOffset, OutboxMessage> message, string done, CancellationToken ct,
        Func<ReviewClaim, StaffMember, DbTransaction, DateTimeOffset, Task<long>>? extra = null)
    {
        var (agent, claim, refused) = await LoadAsync(claimId, agentId, requireHolder: true, ct);
        if (refused is not null)
        {
            return refused;
        }
        return await CommitAsync(claim!, async (tx, entries, now) =>
        {
            var moved = await claims.TryTransitionAsync(new ClaimTransition
            {
                ClaimId = claim!.Id,
                ExpectedVersion = expectedVersion,
                Assignee = agent!.Id,
                From = ReviewStatus.Decidable,
                To = to,
                Now = now,
                IsDecision = true,
                // A first decision stops the 24-hour clock; the final deadline then applies.
                NextDueAt = claim.DecisionDueAt ?? deadlines.FinalDecisionDue(claim.SubmittedAt),
                KeepAssignment = to == ReviewStatus.AwaitingInformation,
            }, tx, ct);
            if (!moved)
            {
                return ReviewOutcome.Changed(claim.ClaimNumber);
            }
            var decisionId = await claims.InsertDecisionAsync(new NewDecision(claim.Id, agent.Id, kind, reasonCode, text, null, claim.Version, now, []), tx, ct);
            var extraId = extra is null ? (long?)null : await extra(claim, agent, tx, now);
            entries.Add(Entry(agent, action, claim, new { decision_id = decisionId, reason_code = reasonCode, text, related_id = extraId }, now));
            await outbox.EnqueueAsync(message(claim, now), tx, ct);
            return ReviewOutcome.Done($"Claim {claim.ClaimNumber} {done}.");
        }, ct);
    }

    /// <summary>Checks the agent and the claim before any write: active agent, claim exists, and (for decisions) held by them.</summary>
    private async Task<(StaffMember? Agent, ReviewClaim? Claim, ReviewOutcome? Refused)> LoadAsync(long claimId, long agentId, bool requireHolder, CancellationToken ct)
    {
        var agent = await staff.GetAsync(agentId, ct);
        if (agent is null || !agent.IsActive || !agent.HasRole(StaffDirectory.AgentRole))
        {
            return (null, null, ReviewOutcome.Forbidden("Only an active agent can do this."));
        }
        var claim = await claims.GetAsync(claimId, ct);
        if (claim is null)
        {
            return (agent, null, ReviewOutcome.NotFound("The claim"));
        }
        if (!ReviewStatus.Decidable.Contains(claim.Status))
        {
            return (agent, claim, new ReviewOutcome(ReviewOutcomeKind.Conflict, $"Claim {claim.ClaimNumber} is already {claim.Status}. Nothing was applied: there is nothing left to decide."));
        }
        if (requireHolder && claim.AssignedTo != agent.Id)
        {
            return (agent, claim, claim.AssignedTo is null
                ? ReviewOutcome.Forbidden($"Take claim {claim.ClaimNumber} before deciding it.")
                : ReviewOutcome.Forbidden($"{claim.AssignedToName} has claim {claim.ClaimNumber}; only they can decide it."));
        }
        return (agent, claim, null);
    }

    /// <summary>Validates typed amounts against the disputed transactions. Any bad line refuses the whole decision.</summary>
    private static (IReadOnlyList<DecisionLine> Lines, string? Error) ReadAmounts(ReviewClaim claim, IReadOnlyList<DisputedLine> disputed, IReadOnlyList<ApprovalInput> lines)
    {
        var byId = disputed.ToDictionary(d => d.TransactionId);
        var result = new List<DecisionLine>();
        foreach (var line in lines)
        {
            if (!byId.TryGetValue(line.TransactionId, out var d))
            {
                return ([], $"Transaction {line.TransactionId} is not part of claim {claim.ClaimNumber}.");
            }
            if (result.Any(r => r.TransactionId == line.TransactionId))
            {
                return ([], $"Transaction {d.Reference} is listed twice.");
            }
            if (!AmountInput.TryParse(line.Amount, claim.Currency, out var amount, out var error))
            {
                return ([], $"{d.Reference}: {error}");
            }
            if (amount > d.ClaimedAmount)
            {
                return ([], $"{d.Reference}: {line.Amount} is more than the {d.ClaimedAmount} disputed.");
            }
            result.Add(new DecisionLine(d.TransactionId, amount));
        }
        if (result.Sum(r => r.ApprovedAmount) <= 0)
        {
            return ([], "Approve an amount above zero on at least one transaction, or reject the claim.");
        }
        return (result, null);
    }

    private static string? TextError(string? text, string what, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return required ? $"Write {what}." : null;
        }
        return text.Length > MaxTextLength ? $"Keep {what} under {MaxTextLength} characters." : null;
    }

    private static AuditEntry Entry(StaffMember agent, string action, ReviewClaim claim, object data, DateTimeOffset now) =>
        new(agent.Actor(), action, "claim", claim.ClaimNumber, JsonSerializer.Serialize(data), now);

    /// <summary>One transaction around an action: its audit entries are appended last, then it commits; a refusal rolls back.</summary>
    private async Task<ReviewOutcome> CommitAsync(ReviewClaim claim, Func<DbTransaction, List<AuditEntry>, DateTimeOffset, Task<ReviewOutcome>> action, CancellationToken ct, bool notify = true)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var entries = new List<AuditEntry>();
        var now = clock.GetUtcNow();
        ReviewOutcome outcome;
        try
        {
            outcome = await action(tx, entries, now);
        }
        catch (DbException e) when (connections.Dialect.IsUniqueViolation(e))
        {
            // A second payout or a second decision on the same version: the unique keys refused it.
            await tx.RollbackAsync(CancellationToken.None);
            return ReviewOutcome.Changed(claim.ClaimNumber);
        }
        if (!outcome.Succeeded)
        {
            await tx.RollbackAsync(ct);
            return outcome;
        }
        await audit.AppendAsync(entries, tx, ct);
        await tx.CommitAsync(ct);
        if (notify)
        {
            notifier.ClaimChanged(claim.Id);
        }
        return outcome;
    }
}
