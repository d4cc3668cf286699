using ClaimsOffice.Worker.Bench;

namespace ClaimsOffice.Worker.Tests.Bench;

public sealed class LatencyTimelineTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static DecidedClaim Claim(double submittedSecond, double latencyMs) =>
        new(Start.AddSeconds(submittedSecond), Start.AddSeconds(submittedSecond).AddMilliseconds(latencyMs));

    [Fact]
    public void A_run_that_falls_behind_shows_latency_growing_slice_by_slice()
    {
        var slices = LatencyTimeline.Of(
        [
            Claim(0.0, 30), Claim(1.0, 40), Claim(4.9, 50),
            Claim(5.0, 400), Claim(9.0, 900),
            Claim(12.5, 2_000),
        ], TimeSpan.FromSeconds(5));

        Assert.Equal(3, slices.Count);
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(5), 3, 40.0, 50.0), (slices[0].From, slices[0].To, slices[0].Decided, slices[0].P50Ms, slices[0].MaxMs));
        Assert.Equal((2, 400.0, 900.0), (slices[1].Decided, slices[1].P50Ms, slices[1].MaxMs));
        Assert.Equal((TimeSpan.FromSeconds(10), 1, 2_000.0), (slices[2].From, slices[2].Decided, slices[2].MaxMs));
        Assert.Equal("timeline: submitted 10-15 s (from 12:00:10 UTC): 1 decided, submission to decision p50=2000.0ms max=2000.0ms", slices[2].ToString());
    }

    [Fact]
    public void Slices_in_which_nothing_was_submitted_are_left_out()
    {
        var slices = LatencyTimeline.Of([Claim(0, 10), Claim(20, 10)], TimeSpan.FromSeconds(5));

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(20)], slices.Select(s => s.From));
    }

    [Fact]
    public void No_decided_claims_give_no_timeline()
    {
        Assert.Empty(LatencyTimeline.Of([], TimeSpan.FromSeconds(5)));
    }
}
