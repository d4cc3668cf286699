using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Transactions;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// A bank top-up moves the customer's own money into their own wallet. When nothing else is disputed,
/// that money may still be there, and paying the top-up back would pay the loss twice: a person checks.
/// </summary>
public sealed class TopUpsOnlyRule : IAssessmentRule
{
    public string Name => "top-ups-only";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Disputed.Count == 0 || context.Disputed.Any(t => t.Kind != TransactionKinds.BankTopUp))
        {
            return null;
        }
        return Finding.Of(Name, 0,
            "Only bank top-ups are disputed: the money went into the customer's own wallet and may still be there.",
            new { top_ups = context.Disputed.Select(t => t.Reference), amount = context.Disputed.Sum(t => t.Amount) },
            blocksAutoPayout: true);
    }
}
