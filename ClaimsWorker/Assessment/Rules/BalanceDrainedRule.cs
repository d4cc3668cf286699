using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>A disputed transfer emptied the wallet (almost nothing left after it) into a payee this customer had never paid: draining.</summary>
public sealed class BalanceDrainedRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 30;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly double _leftShare = parameters.Number("max_left_share", 0.05);

    public string Name => "balance-drained";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Disputed.All(t => t.BalanceAfter is null))
        {
            return null;
        }
        var known = context.History.Select(AssessmentContext.PayeeOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var drained = context.Disputed
            .Where(t => t.IsOutgoing && t.BalanceAfter is { } after && after <= _leftShare * (after + t.Amount)
                        && AssessmentContext.PayeeOf(t) is { } payee && !known.Contains(payee))
            .ToList();
        if (drained.Count == 0)
        {
            return null;
        }
        return Finding.Of(Name, _points,
            $"{drained.Count} disputed transfer(s) left the wallet almost empty (under {_leftShare:P0} of the balance) and went to a payee never paid before.",
            drained.Select(t => new { t.Reference, t.Amount, balance_before = t.BalanceAfter + t.Amount, balance_after = t.BalanceAfter, payee = AssessmentContext.PayeeOf(t) }));
    }
}
