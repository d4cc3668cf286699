using System.Text.Json;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Worker.Assessment.RuleSets;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Notifications;
using ClaimsOffice.Worker.Payouts;
using ClaimsOffice.Worker.Review;
using AssessmentRecord = ClaimsOffice.Database.Assessments.Assessment;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Worker.Assessment;

public enum AssessmentResult
{
    Paid,
    InReview,
    /// <summary>Nothing to do: the claim was already assessed (a retried or duplicated job).</summary>
    AlreadyAssessed,
    NotFound,
}

/// <summary>
/// Assesses a Submitted claim and acts on the outcome in one transaction: the claim's new state, the
/// assessment with its findings, the payout (when cleared), the audit entries and the victim's message
/// commit together or not at all. Safe to run twice, even at the same time: only the run whose
/// guarded state change succeeds writes anything.
/// </summary>
public sealed class AssessmentService(
    IDbConnectionFactory connections,
    ClaimRepository claims,
    AssessmentRepository assessments,
    AssessmentContextLoader loader,
    PayoutService payouts,
    AuditLog audit,
    IRuleSetSource ruleSets,
    IOptions<WorkerOptions> options,
    ReviewDeadlines deadlines,
    TimeProvider clock,
    ILogger<AssessmentService> logger)
{
    private readonly TimeZoneInfo _zone = TimeZones.Find(options.Value.TimeZone);

    public async Task<AssessmentResult> AssessAsync(long claimId, CancellationToken ct)
    {
        // The claim and its transactions in one round trip (a claim already assessed reads them for nothing; rare).
        var (claim, disputed) = await claims.GetWithTransactionsAsync(claimId, ct);
        if (claim is null)
        {
            logger.LogWarning("Claim {ClaimId} to assess does not exist", claimId);
            return AssessmentResult.NotFound;
        }
        if (claim.Status != ClaimStatus.Submitted)
        {
            return AssessmentResult.AlreadyAssessed;
        }

        var ruleSet = await ruleSets.GetActiveAsync(ct);
        var context = await loader.LoadAsync(claim, disputed, ct);
        var decision = ruleSet.Decide(context);

        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var actor = "engine:" + ruleSet.Version;

        // The guarded update is the first write: a concurrent run of the same claim waits on the row, then finds it moved on.
        // The assessment is written with it, only if it moved the claim (one statement on PostgreSQL).
        DateTimeOffset? dueAt = null;
        SqlStatement move;
        if (decision.AutoApprove)
        {
            move = ClaimRepository.MarkPaid(claim.Id, now, claim.TotalAmount, now);
        }
        else
        {
            dueAt = deadlines.FinalDecisionDue(claim.SubmittedAt);
            move = ClaimRepository.MarkInReview(claim.Id, now, new ReviewEntry(decision.Score, deadlines.FirstDecisionDue(now), dueAt.Value));
        }
        var assessmentId = await assessments.InsertIfMovedAsync(move, new AssessmentRecord
        {
            ClaimId = claim.Id,
            RuleSetVersion = ruleSet.Version,
            Outcome = decision.Outcome,
            Score = decision.Score,
            AssessedAt = now,
            Findings = decision.Findings,
        }, tx, ct);
        if (assessmentId is null)
        {
            await tx.RollbackAsync(ct);
            return AssessmentResult.AlreadyAssessed;
        }

        // The audit entries are appended together in one statement, with the decision. SQLite seals them into the chain
        // here; PostgreSQL writes them unsealed, with no lock, and the sealing loop chains them after the commit (ADR 0010).
        List<AuditEntry> auditEntries =
        [
            new(actor, "claim.assessed", "claim", claim.ClaimNumber,
                JsonSerializer.Serialize(new { decision.Outcome, decision.Score, rules = decision.Findings.Select(f => f.Rule) }), now),
        ];
        SqlStatement message;
        if (decision.AutoApprove)
        {
            await payouts.PayAsync(claim, claim.TotalAmount, now, actor, auditEntries, tx, ct);
            message = OutboxRepository.Enqueue(Messages.ClaimPaid(claim, claim.TotalAmount, now));
        }
        else
        {
            auditEntries.Add(new AuditEntry(actor, "claim.sent-to-review", "claim", claim.ClaimNumber,
                JsonSerializer.Serialize(new { decision_due_at = dueAt }), now));
            message = OutboxRepository.Enqueue(Messages.ClaimInReview(claim, now, dueAt!.Value, _zone));
        }
        // The victim's message and the audit entries in one command on PostgreSQL.
        await audit.AppendAsync(message, auditEntries, tx, ct);
        await tx.CommitAsync(ct);
        return decision.AutoApprove ? AssessmentResult.Paid : AssessmentResult.InReview;
    }
}
