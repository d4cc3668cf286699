using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>A disputed amount far above what this customer usually spends (more than 3x their largest, or 10x their median).</summary>
public sealed class AmountAboveUsualRule(RuleParameters? parameters = null) : IAssessmentRule
{
    // 10 since 2026.11-5: it overlaps amount-out-of-range (both say "high for this customer"), and one high amount should not count twice.
    public const int Points = 10;
    public const int MinimumHistory = 5;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly int _minimumHistory = parameters.Count("min_history", MinimumHistory);
    private readonly double _timesLargest = parameters.Number("times_largest", 3);
    private readonly double _timesMedian = parameters.Number("times_median", 10);

    public string Name => "amount-above-usual";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var usual = context.History.Where(t => t.IsOutgoing).Select(t => t.Amount).Order().ToList();
        if (usual.Count < _minimumHistory)
        {
            return null;
        }
        var median = usual[usual.Count / 2];
        var largest = usual[^1];
        var unusual = context.Disputed.Where(t => t.Amount > _timesLargest * largest || t.Amount > _timesMedian * median).ToList();
        if (unusual.Count == 0)
        {
            return null;
        }
        return Finding.Of(Name, _points, $"{unusual.Count} disputed amount(s) far above this customer's usual spending (median {median}, largest {largest}).",
            new { median, largest, history_count = usual.Count, unusual = unusual.Select(t => new { t.Reference, t.Amount }) });
    }
}
