using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>The disputed payments happened far from the customer's home and further out than they usually pay.</summary>
public sealed class FarFromUsualRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 15;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly double _minimumKm = parameters.Number("min_km", 150);
    private readonly double _timesUsual = parameters.Number("times_usual", 2);
    private readonly int _minimumHistory = parameters.Count("min_history", 20);

    public string Name => "far-from-usual";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var located = context.UsualOutgoing.Where(t => t.Latitude is not null && t.Longitude is not null).ToList();
        if (located.Count < _minimumHistory || context.Disputed.Any(t => t.Latitude is null || t.Longitude is null))
        {
            return null;
        }
        // Home when the platform knows it, else the middle of where the customer usually pays.
        var (lat, lon) = context.Account is { HomeLatitude: { } hl, HomeLongitude: { } hn }
            ? (hl, hn)
            : (Median(located.Select(t => t.Latitude!.Value)), Median(located.Select(t => t.Longitude!.Value)));
        var usual = located.Select(t => (long)Kilometres(lat, lon, t.Latitude!.Value, t.Longitude!.Value)).Order().ToList();
        var reach = Math.Max(_minimumKm, _timesUsual * Pattern.Quantile(usual, 0.95));
        var far = Pattern.MostOf(context.Disputed, t => Kilometres(lat, lon, t.Latitude!.Value, t.Longitude!.Value) > reach, out var fires);
        if (!fires)
        {
            return null;
        }
        return Finding.Of(Name, _points,
            $"{far.Count} of {context.Disputed.Count} disputed payments were made over {reach:0} km from where this customer lives and usually pays.",
            new { usual_reach_km = Pattern.Quantile(usual, 0.95), far = far.Select(t => new { t.Reference, km = Math.Round(Kilometres(lat, lon, t.Latitude!.Value, t.Longitude!.Value)) }) });
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Great-circle distance (haversine).</summary>
    public static double Kilometres(double lat1, double lon1, double lat2, double lon2)
    {
        const double R = 6371;
        double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
