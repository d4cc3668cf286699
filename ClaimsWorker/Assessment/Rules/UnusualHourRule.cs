using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>The disputed payments were made at a time of day this customer almost never pays (e.g. 3 a.m. for someone who pays by day).</summary>
public sealed class UnusualHourRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 15;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly int _minimumHistory = parameters.Count("min_history", 20);
    private readonly double _rareShare = parameters.Number("rare_share", 0.02);

    public string Name => "unusual-hour";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var hours = context.UsualOutgoing.Select(t => t.OccurredAt.UtcDateTime.Hour).ToList();
        if (hours.Count < _minimumHistory)
        {
            return null;
        }
        // The hour and its neighbours: 02:55 and 03:05 are the same habit.
        double Share(int hour) => (double)hours.Count(h => Pattern.HourDistance(h, hour) <= 1) / hours.Count;
        var odd = Pattern.MostOf(context.Disputed, t => Share(t.OccurredAt.UtcDateTime.Hour) < _rareShare, out var fires);
        if (!fires)
        {
            return null;
        }
        return Finding.Of(Name, _points,
            $"{odd.Count} of {context.Disputed.Count} disputed payments were made at an hour (UTC) when this customer makes under {_rareShare:P0} of their payments.",
            new { history_count = hours.Count, unusual = odd.Select(t => new { t.Reference, hour_utc = t.OccurredAt.UtcDateTime.Hour, share_of_history = Math.Round(Share(t.OccurredAt.UtcDateTime.Hour), 4) }) });
    }
}
