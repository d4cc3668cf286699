using Bunit;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Portal.Components.Ui;
using ClaimsOffice.Portal.Tests.Support;

namespace ClaimsOffice.Portal.Tests.Components.Ui;

public class ClaimStepsTests : MudComponentTest
{
    private static readonly DateTimeOffset Submitted = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_claim_is_reported_being_checked_and_awaiting_a_decision()
    {
        var steps = ClaimSteps.For(Claim(ClaimStatus.Submitted));

        Assert.Equal([ClaimStepState.Done, ClaimStepState.Current, ClaimStepState.Upcoming], steps.Select(s => s.State));
        Assert.Equal(Submitted, steps[0].At);
    }

    [Fact]
    public void A_paid_claim_has_every_step_done_with_its_time()
    {
        var paidAt = Submitted.AddMilliseconds(600);
        var steps = ClaimSteps.For(Claim(ClaimStatus.Paid) with { AssessedAt = Submitted.AddMilliseconds(300), PaidAt = paidAt });

        Assert.All(steps, s => Assert.Equal(ClaimStepState.Done, s.State));
        Assert.Equal("Reimbursed to your wallet", steps[^1].Title);
        Assert.Equal(paidAt, steps[^1].At);
    }

    [Fact]
    public void A_claim_in_review_waits_on_a_person()
    {
        var steps = ClaimSteps.For(Claim(ClaimStatus.InReview) with { AssessedAt = Submitted.AddSeconds(1) });

        Assert.Equal(ClaimStepState.Current, steps[^1].State);
        Assert.Equal("With our support team", steps[^1].Title);
    }

    [Fact]
    public void The_timeline_marks_the_step_in_progress_for_assistive_technology()
    {
        var timeline = Render<ClaimTimeline>(p => p.Add(t => t.Claim, Claim(ClaimStatus.Submitted)));

        Assert.Equal(["reported", "checked", "decided"], timeline.FindAll("[data-step]").Select(s => s.GetAttribute("data-step")));
        var current = Assert.Single(timeline.FindAll("[aria-current=step]"));
        Assert.Contains("Checking your claim", current.TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-11-21 21:00:00 +09:00", timeline.Find("[data-step=reported]").TextContent, StringComparison.Ordinal);
    }

    private static Claim Claim(string status) => new()
    {
        Id = 1,
        ClaimNumber = "CLM-2026-000001",
        Status = status,
        Description = "Not me",
        TotalAmount = 9_800,
        Currency = "JPY",
        SubmittedAt = Submitted,
        UpdatedAt = Submitted,
    };
}
