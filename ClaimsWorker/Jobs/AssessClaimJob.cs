using ClaimsOffice.Worker.Assessment;
using Hangfire;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// Hangfire adapter: assess one claim. Delivery is at least once (a retry, a rerun after a worker died, the
/// sweep): safe, because only the run whose guarded state change succeeds writes anything.
/// A run that throws is retried after 2, 10 and 30 s, then stays Failed on the dashboard and in /health;
/// the claim is still Submitted, so the sweep enqueues it again after <c>Worker:SweepAfter</c>.
/// </summary>
[AutomaticRetry(Attempts = RetryAttempts, DelaysInSeconds = [2, 10, 30], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
public sealed class AssessClaimJob(AssessmentService assessments)
{
    public const int RetryAttempts = 3;

    /// <returns>What the run did; the dashboard shows it on the succeeded job (Paid, InReview, AlreadyAssessed...).</returns>
    public Task<AssessmentResult> RunAsync(long claimId, CancellationToken cancellationToken) =>
        assessments.AssessAsync(claimId, cancellationToken);
}
