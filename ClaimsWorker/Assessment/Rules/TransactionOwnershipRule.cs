using ClaimsOffice.Database.Assessments;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>Every disputed transaction is the claimant's and in no other live claim. Intake enforces it; this records it.</summary>
public sealed class TransactionOwnershipRule : IAssessmentRule
{
    public string Name => "transaction-ownership";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var foreign = context.Disputed.Where(t => t.CustomerId != context.Claim.CustomerId).Select(t => t.Reference).ToList();
        var elsewhere = context.Disputed
            .Where(t => t.LiveClaimNumber is not null && t.LiveClaimNumber != context.Claim.ClaimNumber)
            .Select(t => new { t.Reference, claim = t.LiveClaimNumber }).ToList();
        if (foreign.Count > 0 || elsewhere.Count > 0)
        {
            return Finding.Of(Name, 0, "Some disputed transactions are not the claimant's or are in another claim.",
                new { foreign, in_other_claims = elsewhere }, blocksAutoPayout: true);
        }
        return Finding.Of(Name, 0, $"All {context.Disputed.Count} disputed transactions are the claimant's and in no other claim.",
            new { transactions = context.Disputed.Select(t => t.Reference) });
    }
}
