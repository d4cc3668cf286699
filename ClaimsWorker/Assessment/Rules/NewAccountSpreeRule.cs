using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// A spree among the very first payments of a new account: the card was spent as soon as it was issued,
/// before its holder used it (intercepted in the post, or its details taken at issue). With no habits to
/// compare with, the other pattern rules stay silent; this is what is left to recognise it by.
/// </summary>
public sealed class NewAccountSpreeRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 15;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly double _maxAccountDays = parameters.Number("max_account_days", 30);
    private readonly int _maxEarlierPayments = parameters.Count("max_earlier_payments", 2);
    private readonly int _minimumCount = parameters.Count("min_count", 4);
    private readonly TimeSpan _window = parameters.Hours("window_hours", 24);

    public string Name => "new-account-spree";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Account is not { } account)
        {
            return null;
        }
        var times = context.Disputed.Where(t => t.IsOutgoing).Select(t => t.OccurredAt).Order().ToList();
        if (times.Count < _minimumCount)
        {
            return null;
        }
        var ageDays = (times[0] - account.CreatedAt).TotalDays;
        var earlier = context.UsualOutgoing.Count(t => t.OccurredAt < times[0]);
        if (ageDays > _maxAccountDays || earlier > _maxEarlierPayments)
        {
            return null;
        }
        var (count, _) = Pattern.BusiestWindow(times, _window);
        if (count < _minimumCount)
        {
            return null;
        }
        return Finding.Of(Name, _points,
            $"The account was opened {Math.Max(ageDays, 0):0.#} days before the first disputed payment and had made {earlier} payments before; " +
            $"then {count} disputed payments came within {_window.TotalHours:0} h: spent as soon as it was issued, not by its holder's habits.",
            new { account_age_days = Math.Round(Math.Max(ageDays, 0), 1), earlier_payments = earlier, payments_in_spree = count, window_hours = _window.TotalHours });
    }
}
