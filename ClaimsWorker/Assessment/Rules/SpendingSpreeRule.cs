using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// The claim covers a spree: several disputed payments within a few hours of each other. A thief empties a
/// card or wallet in a burst before it is blocked; a customer who regrets a purchase disputes one or two.
/// Unlike velocity it needs no history, so it speaks for a brand-new card too.
/// </summary>
public sealed class SpendingSpreeRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 20;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly int _minimumCount = parameters.Count("min_count", 4);
    private readonly TimeSpan _window = parameters.Hours("window_hours", 24);

    public string Name => "spending-spree";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var times = context.Disputed.Where(t => t.IsOutgoing).Select(t => t.OccurredAt).Order().ToList();
        if (times.Count < _minimumCount)
        {
            return null;
        }
        var (best, bestStart) = Pattern.BusiestWindow(times, _window);
        if (best < _minimumCount)
        {
            return null;
        }
        var spanHours = (times[bestStart + best - 1] - times[bestStart]).TotalHours;
        return Finding.Of(Name, _points,
            $"{best} of the {times.Count} disputed payments were made within {Math.Max(spanHours, 0.1):0.#} h of each other: a spree, not a single regretted purchase.",
            new { payments_in_spree = best, disputed_payments = times.Count, spree_hours = Math.Round(spanHours, 1), window_hours = _window.TotalHours, first = times[bestStart] });
    }
}
