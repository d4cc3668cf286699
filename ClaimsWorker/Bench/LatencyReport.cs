using System.Globalization;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Claims;
using Dapper;

namespace ClaimsOffice.Worker.Bench;

/// <summary>Percentiles by nearest rank: the smallest value with at least p% of the values at or below it.</summary>
public static class Percentiles
{
    public static double NearestRank(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return 0;
        }
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    public static string Summary(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"p50={NearestRank(sorted, 50):0.0}ms p95={NearestRank(sorted, 95):0.0}ms p99={NearestRank(sorted, 99):0.0}ms max={(sorted.Count == 0 ? 0 : sorted[^1]):0.0}ms (n={sorted.Count})");
    }
}

/// <summary>The outcome of the filed claims, read back from the database: statuses, latency from submission to money, double payouts.</summary>
public sealed record LatencyReport(int Claims, IReadOnlyList<double> PaidMs, IReadOnlyList<double> ReviewMs, int Paid, int Review, int Lost, int DoublePaid,
    IReadOnlyDictionary<long, DateTimeOffset> SubmittedAt)
{
    /// <summary>Each paid or reviewed claim's submission and decision, for <see cref="LatencyTimeline"/>.</summary>
    public IReadOnlyList<DecidedClaim> Decided { get; init; } = [];

    private sealed class ClaimTimes
    {
        public long Id { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset SubmittedAt { get; init; }
        public DateTimeOffset? AssessedAt { get; init; }
        public DateTimeOffset? PaidAt { get; init; }
    }

    /// <summary>How many of the filed claims are finished (Paid or InReview); polled while waiting.</summary>
    public static async Task<int> CountFinishedAsync(IDbConnectionFactory connections, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }
        await using var connection = await connections.OpenAsync(ct);
        // The run's claims are one id range (nothing else files during a benchmark); the final report checks ids exactly.
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM claims WHERE id >= @min AND id <= @max AND status IN (@Paid, @InReview)",
            new { min = ids.Min(), max = ids.Max(), ClaimStatus.Paid, ClaimStatus.InReview }, cancellationToken: ct));
    }

    public static async Task<LatencyReport> MeasureAsync(IDbConnectionFactory connections, int planned, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return new LatencyReport(planned, [], [], 0, 0, planned, 0, new Dictionary<long, DateTimeOffset>());
        }
        var mine = ids.ToHashSet();
        var range = new { min = ids.Min(), max = ids.Max() };
        await using var connection = await connections.OpenAsync(ct);
        var rows = (await connection.QueryAsync<ClaimTimes>(new CommandDefinition(
            "SELECT id, status, submitted_at, assessed_at, paid_at FROM claims WHERE id >= @min AND id <= @max", range, cancellationToken: ct)))
            .Where(r => mine.Contains(r.Id)).ToList();
        var paid = rows.Where(r => r.Status == ClaimStatus.Paid && r.PaidAt is not null).ToList();
        var review = rows.Where(r => r.Status == ClaimStatus.InReview && r.AssessedAt is not null).ToList();

        // Measured, not assumed: more than one payout row, or more than one payout journal, for one claim.
        var doubled = (await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT claim_id FROM payouts WHERE claim_id >= @min AND claim_id <= @max GROUP BY claim_id HAVING COUNT(*) > 1
            UNION
            SELECT claim_id FROM ledger_journals WHERE kind = 'claim-payout' AND claim_id >= @min AND claim_id <= @max GROUP BY claim_id HAVING COUNT(*) > 1
            """, range, cancellationToken: ct))).Where(mine.Contains).Distinct().Count();

        return new LatencyReport(
            planned,
            [.. paid.Select(r => (r.PaidAt!.Value - r.SubmittedAt).TotalMilliseconds).Order()],
            [.. review.Select(r => (r.AssessedAt!.Value - r.SubmittedAt).TotalMilliseconds).Order()],
            paid.Count,
            review.Count,
            planned - paid.Count - review.Count,
            doubled,
            rows.ToDictionary(r => r.Id, r => r.SubmittedAt))
        {
            Decided = [.. paid.Select(r => new DecidedClaim(r.SubmittedAt, r.PaidAt!.Value)), .. review.Select(r => new DecidedClaim(r.SubmittedAt, r.AssessedAt!.Value))],
        };
    }

    public bool Passed => Lost == 0 && DoublePaid == 0;

    public string FinalLine(string provider, double rate) => string.Create(CultureInfo.InvariantCulture,
        $"bench: provider={provider} claims={Claims} rate={rate:0.##}/s p50={Percentiles.NearestRank(PaidMs, 50):0.0}ms p95={Percentiles.NearestRank(PaidMs, 95):0.0}ms p99={Percentiles.NearestRank(PaidMs, 99):0.0}ms paid={Paid} review={Review} lost={Lost} double_paid={DoublePaid}");
}
