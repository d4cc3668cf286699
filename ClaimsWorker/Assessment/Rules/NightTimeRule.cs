using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// More than half of the disputed payments were made in the night (22:00 to 04:00 by the time the platform recorded), when
/// the holder is usually asleep and a thief spends before the card is blocked. It stays silent for a
/// customer who often pays at night: then it is their habit, not a sign.
/// </summary>
public sealed class NightTimeRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 15;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly int _fromHour = parameters.Count("from_hour", 22);
    private readonly int _toHour = parameters.Count("to_hour", 4);
    private readonly double _habitShare = parameters.Number("habit_share", 0.35);
    private readonly int _minimumHistory = parameters.Count("min_history", 20);

    public string Name => "night-time";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payments = context.Disputed.Where(t => t.IsOutgoing).ToList();
        if (payments.Count == 0)
        {
            return null;
        }
        var usual = context.UsualOutgoing.ToList();
        var usualNightShare = usual.Count == 0 ? 0 : (double)usual.Count(t => AtNight(t.OccurredAt)) / usual.Count;
        if (usual.Count >= _minimumHistory && usualNightShare >= _habitShare)
        {
            return null;
        }
        // More than half, not half: one night-time payment of two says little.
        var night = payments.Where(t => AtNight(t.OccurredAt)).ToList();
        if (night.Count * 2 <= payments.Count)
        {
            return null;
        }
        return Finding.Of(Name, _points,
            $"{night.Count} of {payments.Count} disputed payments were made at night ({_fromHour:00}:00-{_toHour:00}:00); " +
            (usual.Count >= _minimumHistory ? $"this customer makes {usualNightShare:P0} of their payments then." : "this customer has too few earlier payments to know their habits."),
            new
            {
                from_hour = _fromHour,
                to_hour = _toHour,
                history_count = usual.Count,
                usual_night_share = Math.Round(usualNightShare, 3),
                at_night = night.Select(t => new { t.Reference, hour = t.OccurredAt.Hour }),
            });
    }

    /// <summary>By the hour the platform recorded the payment in (its offset), wrapping past midnight.</summary>
    private bool AtNight(DateTimeOffset at) => _fromHour <= _toHour
        ? at.Hour >= _fromHour && at.Hour < _toHour
        : at.Hour >= _fromHour || at.Hour < _toHour;
}
