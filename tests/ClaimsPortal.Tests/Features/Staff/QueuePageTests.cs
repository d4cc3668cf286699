using Bunit;
using ClaimsOffice.Portal.Features.Staff.Queue;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Review;

namespace ClaimsOffice.Portal.Tests.Features.Staff;

public sealed class QueuePageTests : MudComponentTest
{
    [DatabaseTheory]
    public async Task The_queue_lists_the_riskiest_claims_first_and_taking_one_shows_who_has_it(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var engine = EngineHost.Create(db, clock);
        var aiko = await new StaffMemberBuilder().Named("Aiko Agent").Agent().InsertAsync(db.Connections);
        var low = await new ClaimInReviewBuilder().Score(5).InsertAsync(db.Connections);
        var high = await new ClaimInReviewBuilder().Score(60).InsertAsync(db.Connections);
        var overdue = await new ClaimInReviewBuilder().Score(30).DueAt(clock.GetUtcNow().AddHours(-1)).InsertAsync(db.Connections);
        this.UseEngine(engine, aiko, "Aiko Agent");

        var page = Render<QueuePage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tbody tr").Count));
        var numbers = page.FindAll("tbody tr a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal([high.ClaimNumber, overdue.ClaimNumber, low.ClaimNumber], numbers);
        // The counts load apart from the rows: wait for them too.
        page.WaitForAssertion(() => Assert.Contains("Overdue: 1", page.Find("[data-testid=overdue]").TextContent, StringComparison.Ordinal));

        // Found and clicked on the renderer's thread: a re-render in between (the page refreshes itself) would drop the handler.
        await page.InvokeAsync(() => page.FindAll("tbody tr")[0].QuerySelector("button")!.Click());

        page.WaitForAssertion(() => Assert.Equal("Aiko Agent", page.FindAll("tbody tr")[0].QuerySelector("[data-testid=holder]")?.TextContent));
        Assert.Equal(aiko, (await engine.GetRequiredService<ClaimsOffice.Database.Review.ClaimReviewRepository>().GetAsync(high.Id, CancellationToken.None))!.AssignedTo);
    }

    [DatabaseTheory]
    public async Task An_open_queue_sees_a_claim_another_agent_takes_without_a_reload(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var engine = EngineHost.Create(db, clock);
        var aiko = await new StaffMemberBuilder().Named("Aiko Agent").Agent().InsertAsync(db.Connections);
        var ben = await new StaffMemberBuilder().Named("Ben Agent").Agent().InsertAsync(db.Connections);
        var claim = await new ClaimInReviewBuilder().InsertAsync(db.Connections);
        this.UseEngine(engine, aiko, "Aiko Agent");
        var page = Render<QueuePage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")));
        Assert.Empty(page.FindAll("[data-testid=holder]"));

        // Ben takes it from his own page (same process): Aiko's open page shows it without her doing anything.
        Assert.True((await engine.GetRequiredService<ReviewService>().TakeAsync(claim.Id, 0, ben, CancellationToken.None)).Succeeded);

        page.WaitForAssertion(() => Assert.Equal("Ben Agent", page.Find("[data-testid=holder]").TextContent), TimeSpan.FromSeconds(5));
    }
}
