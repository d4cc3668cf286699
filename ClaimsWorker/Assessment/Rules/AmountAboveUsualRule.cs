using ClaimsOffice.Database.Assessments;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>A disputed amount far above what this customer usually spends (more than 3x their largest, or 10x their median).</summary>
public sealed class AmountAboveUsualRule : IAssessmentRule
{
    public const int Points = 15;
    public const int MinimumHistory = 5;

    public string Name => "amount-above-usual";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var usual = context.History.Where(t => t.IsOutgoing).Select(t => t.Amount).Order().ToList();
        if (usual.Count < MinimumHistory)
        {
            return null;
        }
        var median = usual[usual.Count / 2];
        var largest = usual[^1];
        var unusual = context.Disputed.Where(t => t.Amount > 3 * largest || t.Amount > 10 * median).ToList();
        if (unusual.Count == 0)
        {
            return null;
        }
        return Finding.Of(Name, Points, $"{unusual.Count} disputed amount(s) far above this customer's usual spending (median {median}, largest {largest}).",
            new { median, largest, history_count = usual.Count, unusual = unusual.Select(t => new { t.Reference, t.Amount }) });
    }
}
