using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// A small payment and, minutes later, a large transfer to a payee never paid before, both disputed: a thief
/// checks that the stolen account works, then takes the money.
/// </summary>
public sealed class TestPaymentRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 40;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly TimeSpan _within = parameters.Hours("within_hours", 1);
    private readonly double _smallShare = parameters.Number("max_test_share", 0.1);

    public string Name => "test-payment";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var known = context.History.Select(AssessmentContext.PayeeOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var test in context.Disputed.OrderBy(t => t.OccurredAt))
        {
            var take = context.Disputed.FirstOrDefault(t => t.Id != test.Id && t.OccurredAt >= test.OccurredAt && t.OccurredAt - test.OccurredAt <= _within
                && test.Amount <= _smallShare * t.Amount && AssessmentContext.PayeeOf(t) is { } payee && !known.Contains(payee));
            if (take is not null)
            {
                return Finding.Of(Name, _points,
                    $"A small payment ({test.Amount}) came {(take.OccurredAt - test.OccurredAt).TotalMinutes:0} min before a large transfer ({take.Amount}) to a payee never paid before.",
                    new { test = test.Reference, test_amount = test.Amount, transfer = take.Reference, transfer_amount = take.Amount, payee = AssessmentContext.PayeeOf(take) });
            }
        }
        return null;
    }
}
