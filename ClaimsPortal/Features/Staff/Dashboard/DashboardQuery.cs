using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Reports;
using ClaimsOffice.Database.Review;

namespace ClaimsOffice.Portal.Features.Staff.Dashboard;

/// <summary>Claims reported on one UTC day, by where they ended up.</summary>
public sealed record DayOutcomes(DateOnly Day, int PaidAutomatically, int PaidByPerson, int InReview, int Rejected);

/// <summary>The dashboard's figures for a window of days.</summary>
public sealed record DashboardFigures(
    IReadOnlyList<DayOutcomes> Days, int Total, int PaidAutomatically, int PaidByPerson, TimeSpan? MedianToMoney, TimeSpan? P95ToMoney, bool Truncated)
{
    /// <summary>Share of paid claims that no person had to decide; null before anything was paid.</summary>
    public double? AutomaticShare => PaidAutomatically + PaidByPerson == 0 ? null : (double)PaidAutomatically / (PaidAutomatically + PaidByPerson);
}

/// <summary>Counts claims per day by outcome and the report-to-money times, from one bounded query.</summary>
public sealed class DashboardQuery(StaffReportRepository reports, TimeProvider clock)
{
    /// <summary>Far above a month of claims here; if reached, the page says the figures cover only the first rows.</summary>
    public const int MaxClaims = 200_000;

    public async Task<DashboardFigures> GetAsync(int days, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var first = today.AddDays(1 - days);
        var rows = await reports.ClaimsSinceAsync(new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), MaxClaims, ct);
        return Summarise(rows, first, days, rows.Count >= MaxClaims);
    }

    public static DashboardFigures Summarise(IReadOnlyList<ClaimOutcomeRow> rows, DateOnly first, int days, bool truncated)
    {
        var counts = new int[days, 4];
        var toMoney = new List<TimeSpan>();
        foreach (var row in rows)
        {
            var index = DateOnly.FromDateTime(row.SubmittedAt.UtcDateTime).DayNumber - first.DayNumber;
            if (index < 0 || index >= days || Outcome(row) is not { } outcome)
            {
                continue;
            }
            counts[index, outcome]++;
            if (row.PaidAt is { } paidAt && outcome <= 1)
            {
                toMoney.Add(paidAt - row.SubmittedAt);
            }
        }
        var list = Enumerable.Range(0, days)
            .Select(i => new DayOutcomes(first.AddDays(i), counts[i, 0], counts[i, 1], counts[i, 2], counts[i, 3]))
            .ToList();
        toMoney.Sort();
        return new DashboardFigures(list, list.Sum(d => d.PaidAutomatically + d.PaidByPerson + d.InReview + d.Rejected),
            list.Sum(d => d.PaidAutomatically), list.Sum(d => d.PaidByPerson), Percentile(toMoney, 0.50), Percentile(toMoney, 0.95), truncated);
    }

    /// <summary>0 paid automatically, 1 paid after a person decided, 2 still open, 3 rejected; null for anything else.</summary>
    private static int? Outcome(ClaimOutcomeRow row) => row.Status switch
    {
        ClaimStatus.Paid or ReviewStatus.PartiallyPaid => row.FirstDecidedAt is null ? 0 : 1,
        ClaimStatus.Rejected => 3,
        ClaimStatus.Submitted => 2,
        _ when ReviewStatus.Open.Contains(row.Status) => 2,
        _ => null,
    };

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static TimeSpan? Percentile(IReadOnlyList<TimeSpan> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
