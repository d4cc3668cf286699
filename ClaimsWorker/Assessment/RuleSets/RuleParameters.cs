using System.Globalization;

namespace ClaimsOffice.Worker.Assessment.RuleSets;

/// <summary>
/// One rule's settings from a rule-set document. A rule reads what it needs with its own fallback; every
/// read is recorded, so the effective values can be shown and stored, and a setting no rule read (a typo in
/// a draft) is an error instead of being silently ignored.
/// </summary>
public sealed class RuleParameters
{
    private readonly IReadOnlyDictionary<string, double> _given;
    private readonly SortedDictionary<string, double> _used = new(StringComparer.Ordinal);

    public RuleParameters(int? points = null, IReadOnlyDictionary<string, double>? settings = null)
    {
        GivenPoints = points;
        _given = settings ?? new Dictionary<string, double>();
    }

    /// <summary>Defaults everywhere.</summary>
    public static RuleParameters Defaults => new();

    public int? GivenPoints { get; }

    /// <summary>The points the rule used (null for rules that only block or record).</summary>
    public int? UsedPoints { get; private set; }

    public IReadOnlyDictionary<string, double> Used => _used;

    public int Points(int fallback)
    {
        UsedPoints = GivenPoints ?? fallback;
        return UsedPoints.Value;
    }

    public double Number(string name, double fallback)
    {
        var value = _given.TryGetValue(name, out var v) ? v : fallback;
        _used[name] = value;
        return value;
    }

    public int Count(string name, int fallback) => (int)Math.Round(Number(name, fallback));

    public TimeSpan Hours(string name, double fallbackHours) => TimeSpan.FromHours(Number(name, fallbackHours));

    public TimeSpan Days(string name, double fallbackDays) => TimeSpan.FromDays(Number(name, fallbackDays));

    /// <summary>Settings in the document that the rule never read.</summary>
    public IEnumerable<string> Unknown => _given.Keys.Where(k => !_used.ContainsKey(k));

    public override string ToString() => string.Join(", ",
        (UsedPoints is { } p ? [$"points {p}"] : Array.Empty<string>())
            .Concat(_used.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.###}"))));
}
