using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment.RuleSets;
using ClaimsOffice.Worker.Notifications;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// A disputed payment is far above what anybody pays in its category (a 1,000-dollar grocery bill when 99 % of
/// everyone's grocery payments are lower): what a thief buys to resell. It judges against the population
/// because the customer's own range cannot be judged yet; once they have a history, amount-out-of-range
/// and amount-above-usual judge against it instead, so one high amount is not counted twice.
/// </summary>
public sealed class CategoryNormRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 25;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly double _quantile = parameters.Number("quantile", 0.99);
    private readonly int _minimumPopulation = parameters.Count("min_population", 100);
    private readonly int _ownHistoryEnough = parameters.Count("own_history_enough", 20);

    public string Name => "category-norm";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ownHistory = context.UsualOutgoing.Count();
        if (ownHistory >= _ownHistoryEnough)
        {
            return null;
        }
        long? Ceiling(PaymentTransaction t) =>
            t.MerchantCategory is { } c && context.CategoryAmounts.TryGetValue(CategoryBaseline.Key(c, t.Currency), out var amounts) && amounts.Count >= _minimumPopulation
                ? Pattern.Quantile(amounts, _quantile)
                : null;
        var judged = context.Disputed.Where(t => t.IsOutgoing && Ceiling(t) is not null).ToList();
        if (judged.Count == 0)
        {
            return null;
        }
        var high = judged.Where(t => t.Amount > Ceiling(t)).ToList();
        if (high.Count == 0)
        {
            return null;
        }
        var top = high.MaxBy(t => (double)t.Amount / Ceiling(t)!.Value)!;
        return Finding.Of(Name, _points,
            $"{high.Count} of {context.Disputed.Count} disputed payments are above what {_quantile:P0} of all customers' payments in the same category come to " +
            $"(e.g. {MoneyFormat.Format(top.Amount, top.Currency)} in {top.MerchantCategory}, where {_quantile:P0} pay at most {MoneyFormat.Format(Ceiling(top)!.Value, top.Currency)}); " +
            $"this customer has only {ownHistory} earlier payments to compare with.",
            new
            {
                own_history_count = ownHistory,
                quantile = _quantile,
                high = high.Select(t => new
                {
                    t.Reference,
                    t.Amount,
                    category = t.MerchantCategory,
                    population_ceiling = Ceiling(t),
                    population_payments = context.CategoryAmounts[CategoryBaseline.Key(t.MerchantCategory!, t.Currency)].Count,
                }),
            });
    }
}
