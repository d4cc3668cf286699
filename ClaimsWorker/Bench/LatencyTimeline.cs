using System.Globalization;

namespace ClaimsOffice.Worker.Bench;

/// <summary>
/// The claims submitted in one slice of the run: how many were decided and how long they took. <paramref name="StartsAt"/>
/// is the slice's start on the clock, to set beside the database's and the jobs' logs.
/// </summary>
public sealed record TimelineSlice(TimeSpan From, TimeSpan To, DateTimeOffset StartsAt, int Decided, double P50Ms, double MaxMs)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"timeline: submitted {From.TotalSeconds:0}-{To.TotalSeconds:0} s (from {StartsAt.UtcDateTime:HH:mm:ss} UTC): {Decided} decided, submission to decision p50={P50Ms:0.0}ms max={MaxMs:0.0}ms");
}

/// <summary>
/// Latency by when the claims were submitted, in equal slices from the first submission: a run that falls behind shows
/// its latency growing slice after slice, where the run's percentiles only show that it did.
/// </summary>
public static class LatencyTimeline
{
    public static IReadOnlyList<TimelineSlice> Of(IReadOnlyCollection<DecidedClaim> decided, TimeSpan slice)
    {
        ArgumentNullException.ThrowIfNull(decided);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(slice, TimeSpan.Zero);
        if (decided.Count == 0)
        {
            return [];
        }
        var first = decided.Min(d => d.SubmittedAt);
        return [.. decided
            .GroupBy(d => (long)((d.SubmittedAt - first) / slice))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var sorted = g.Select(d => (d.DecidedAt - d.SubmittedAt).TotalMilliseconds).Order().ToList();
                return new TimelineSlice(slice * g.Key, slice * (g.Key + 1), first + slice * g.Key, sorted.Count, Percentiles.NearestRank(sorted, 50), sorted[^1]);
            })];
    }
}

/// <summary>A claim of the run that reached its decision: paid, or sent to review.</summary>
public sealed record DecidedClaim(DateTimeOffset SubmittedAt, DateTimeOffset DecidedAt);
