using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// Many payments in a short burst around the disputed ones, several times this customer's usual pace:
/// how a thief spends a stolen card or wallet before it is blocked.
/// </summary>
public sealed class VelocityRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 20;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly TimeSpan _window = parameters.Hours("window_hours", 24);
    private readonly int _minimumCount = parameters.Count("min_count", 4);
    private readonly double _timesUsual = parameters.Number("times_usual", 3);
    private readonly int _minimumHistoryDays = parameters.Count("min_history_days", 14);
    // 0 (off) for the versions written before this setting existed; 2026.11-5 sets 0.5.
    private readonly double _minimumDisputedShare = parameters.Number("min_disputed_share", 0);

    public string Name => "velocity";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var usual = context.UsualOutgoing.ToList();
        var first = context.Disputed.Min(t => t.OccurredAt);
        if (usual.Count == 0 || (first - usual.Min(t => t.OccurredAt)).TotalDays < _minimumHistoryDays)
        {
            return null;
        }
        // The customer's usual number of payments in a window of this length, before the disputed ones.
        var earlier = usual.Where(t => t.OccurredAt < first - _window).ToList();
        var span = (first - _window - (earlier.Count > 0 ? earlier.Min(t => t.OccurredAt) : first)).TotalHours;
        var usualPerWindow = span <= 0 ? 0 : earlier.Count * _window.TotalHours / span;

        var last = context.Disputed.Max(t => t.OccurredAt);
        bool InWindow(PaymentTransaction t) => t.OccurredAt > last - _window && t.OccurredAt <= last;
        var disputedInWindow = context.Disputed.Where(t => t.IsOutgoing).Count(InWindow);
        var burst = usual.Count(InWindow) + disputedInWindow;
        // A burst of payments the customer does not dispute is their own busy day, not a thief's.
        if (burst < _minimumCount || burst < _timesUsual * usualPerWindow || disputedInWindow < _minimumDisputedShare * burst)
        {
            return null;
        }
        return Finding.Of(Name, _points,
            $"{burst} payments in the {_window.TotalHours:0} h up to the last disputed one; this customer usually makes {usualPerWindow:0.#} in that time.",
            new { payments_in_window = burst, disputed_in_window = disputedInWindow, window_hours = _window.TotalHours, usual_per_window = Math.Round(usualPerWindow, 2) });
    }
}
