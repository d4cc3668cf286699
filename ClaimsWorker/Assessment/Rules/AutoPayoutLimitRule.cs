using ClaimsOffice.Database.Assessments;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>Large claims always need a person (and, later, finance's approval).</summary>
public sealed class AutoPayoutLimitRule : IAssessmentRule
{
    public string Name => "auto-payout-limit";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Claim.TotalAmount <= context.AutoPayoutLimit
            ? null
            : Finding.Of(Name, 0, $"The claim ({context.Claim.TotalAmount}) is above the automatic payout limit ({context.AutoPayoutLimit}).",
                new { amount = context.Claim.TotalAmount, limit = context.AutoPayoutLimit }, blocksAutoPayout: true);
    }
}
