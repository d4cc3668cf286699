using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// The disputed amounts are above this customer's usual range: above the 95th percentile of what they pay
/// in the same category (when they have enough history there), else of all they pay.
/// </summary>
public sealed class AmountOutOfRangeRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 15;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly int _minimumHistory = parameters.Count("min_history", 20);
    private readonly int _minimumInCategory = parameters.Count("min_in_category", 10);
    private readonly double _quantile = parameters.Number("quantile", 0.95);

    public string Name => "amount-out-of-range";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var usual = context.UsualOutgoing.ToList();
        if (usual.Count < _minimumHistory)
        {
            return null;
        }
        var all = usual.Select(t => t.Amount).Order().ToList();
        var byCategory = usual.Where(t => t.MerchantCategory is not null).GroupBy(t => t.MerchantCategory!, StringComparer.Ordinal)
            .Where(g => g.Count() >= _minimumInCategory)
            .ToDictionary(g => g.Key, g => g.Select(t => t.Amount).Order().ToList(), StringComparer.Ordinal);
        (long Ceiling, string Basis) RangeOf(Database.Transactions.PaymentTransaction t) =>
            t.MerchantCategory is { } c && byCategory.TryGetValue(c, out var inCategory)
                ? (Pattern.Quantile(inCategory, _quantile), c)
                : (Pattern.Quantile(all, _quantile), "all payments");
        var high = Pattern.MostOf(context.Disputed, t => t.Amount > RangeOf(t).Ceiling, out var fires);
        if (!fires)
        {
            return null;
        }
        return Finding.Of(Name, _points,
            $"{high.Count} of {context.Disputed.Count} disputed amounts are above this customer's usual range ({_quantile:P0} of their payments are lower).",
            new { history_count = usual.Count, high = high.Select(t => new { t.Reference, t.Amount, usual_ceiling = RangeOf(t).Ceiling, basis = RangeOf(t).Basis }) });
    }
}
