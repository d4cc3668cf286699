using ClaimsOffice.Database.Reports;
using ClaimsOffice.Portal.Features.Staff.Dashboard;

namespace ClaimsOffice.Portal.Tests.Features.Staff.Dashboard;

public sealed class DashboardQueryTests
{
    private static readonly DateOnly First = new(2026, 11, 1);
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private static ClaimOutcomeRow Row(int day, string status, double? hoursToMoney = null, bool person = false) => new()
    {
        SubmittedAt = Start.AddDays(day),
        Status = status,
        PaidAt = hoursToMoney is { } h ? Start.AddDays(day).AddHours(h) : null,
        FirstDecidedAt = person ? Start.AddDays(day).AddHours(1) : null,
    };

    [Fact]
    public void Counts_each_day_by_outcome_and_the_share_paid_automatically()
    {
        var figures = DashboardQuery.Summarise(
        [
            Row(0, "Paid", 0.01), Row(0, "Paid", 0.02), Row(0, "Paid", 30, person: true),
            Row(1, "InReview"), Row(1, "AwaitingInformation"), Row(1, "Rejected"), Row(2, "PartiallyPaid", 5, person: true),
            Row(9, "Paid", 1), // outside a 3-day window
        ], First, 3, truncated: false);

        Assert.Equal(new DayOutcomes(First, 2, 1, 0, 0), figures.Days[0]);
        Assert.Equal(new DayOutcomes(First.AddDays(1), 0, 0, 2, 1), figures.Days[1]);
        Assert.Equal(new DayOutcomes(First.AddDays(2), 0, 1, 0, 0), figures.Days[2]);
        Assert.Equal(7, figures.Total);
        Assert.Equal(0.5, figures.AutomaticShare);
        // Paid times: 36 s, 72 s, 5 h, 30 h: nearest-rank median is the 2nd, p95 the 4th.
        Assert.Equal(TimeSpan.FromHours(0.02), figures.MedianToMoney);
        Assert.Equal(TimeSpan.FromHours(30), figures.P95ToMoney);
    }

    [Fact]
    public void Nothing_paid_has_no_share_and_no_times()
    {
        var figures = DashboardQuery.Summarise([Row(0, "InReview")], First, 30, truncated: false);

        Assert.Null(figures.AutomaticShare);
        Assert.Null(figures.MedianToMoney);
        Assert.Null(figures.P95ToMoney);
        Assert.Equal(30, figures.Days.Count);
    }
}
