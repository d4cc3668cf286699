using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Assessment;

public sealed record AssessmentDecision(string Outcome, int Score, IReadOnlyList<AssessmentFinding> Findings)
{
    public bool AutoApprove => Outcome == AssessmentOutcome.AutoApprove;
}

/// <summary>
/// A versioned set of rules and the score that clears a claim. Every assessment records the version
/// it used, so a later rule change never rewrites why an old claim was paid.
/// </summary>
public sealed record RuleSet(string Version, int AutoApproveScore, IReadOnlyList<IAssessmentRule> Rules)
{
    public static RuleSet Default { get; } = new("2026.11-2", 50,
    [
        new TransactionOwnershipRule(),
        new ReportedInTimeRule(),
        new NewDeviceRule(),
        new NewIpAddressRule(),
        new SharedDeviceOrIpRule(),
        new BankLinkedBeforeRule(),
        new AmountAboveUsualRule(),
        new AccountTakeoverSignalsRule(),
        new TrustedDeviceRule(),
        new TopUpsOnlyRule(),
        new AutoPayoutLimitRule(),
    ]);

    /// <summary>The machine approves or asks a person; it never rejects.</summary>
    public AssessmentDecision Decide(AssessmentContext context)
    {
        var findings = Rules.Select(r => r.Evaluate(context)).OfType<AssessmentFinding>().ToList();
        var score = findings.Sum(f => f.Points);
        var clears = score >= AutoApproveScore && !findings.Any(f => f.BlocksAutoPayout);
        return new AssessmentDecision(clears ? AssessmentOutcome.AutoApprove : AssessmentOutcome.Review, score, findings);
    }
}
