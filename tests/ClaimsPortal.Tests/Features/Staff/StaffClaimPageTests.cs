using Bunit;
using ClaimsOffice.Portal.Features.Staff.Claims;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Review;

namespace ClaimsOffice.Portal.Tests.Features.Staff;

public sealed class StaffClaimPageTests : MudComponentTest
{
    [DatabaseTheory]
    public async Task The_claim_page_shows_the_evidence_and_taking_the_claim_offers_the_decisions(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var engine = EngineHost.Create(db, clock);
        var aiko = await new StaffMemberBuilder().Named("Aiko Agent").Agent().WithLimit(50_000).InsertAsync(db.Connections);
        var customer = await new CustomerBuilder().Named("Haruka Mori").WithEmail("haruka.mori@example.jp").InsertAsync(db.Connections);
        var claim = await new ClaimInReviewBuilder().ForCustomer(customer.Id).FromAttacker("dev-attacker-9", "203.0.113.9")
            .Disputing(14_000, "Mule Account 77").WithFinding("shared-device-or-ip").Score(42).InsertAsync(db.Connections);
        var sibling = await new ClaimInReviewBuilder().FromAttacker("dev-attacker-9", "198.51.100.4").InsertAsync(db.Connections);
        await AccountActivity.AddEventAsync(db.Connections, customer.Id, "device_added", FixedClock.DefaultStart.AddHours(-4), "dev-attacker-9", "203.0.113.9", "New device");
        Assert.True((await engine.GetRequiredService<ReviewService>().AddNoteAsync(claim.Id, aiko, "Phoned: she was asleep.", CancellationToken.None)).Succeeded);
        this.UseEngine(engine, aiko, "Aiko Agent");

        var page = Render<StaffClaimPage>(p => p.Add(c => c.Reference, claim.ClaimNumber));

        page.WaitForAssertion(() => Assert.Contains("Haruka Mori", page.Find("[data-testid=victim]").TextContent, StringComparison.Ordinal));
        Assert.Contains("haruka.mori@example.jp", page.Find("[data-testid=victim]").TextContent, StringComparison.Ordinal);
        Assert.Contains("score 42", page.Find("[data-testid=assessment]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-rule=shared-device-or-ip]"));
        Assert.Contains("Mule Account 77", page.Find("[data-testid=disputed]").TextContent, StringComparison.Ordinal);
        Assert.Contains("New device", page.Find("[data-testid=timeline]").TextContent, StringComparison.Ordinal);
        Assert.Contains(sibling.ClaimNumber, page.Find("[data-testid=related]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Phoned: she was asleep.", page.Find("[data-testid=note]").TextContent, StringComparison.Ordinal);
        Assert.Contains("claim.note-added", page.Find("[data-testid=audit]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Unassigned", page.Find("[data-testid=holder]").TextContent);
        Assert.DoesNotContain(page.FindAll("[data-testid=actions] button"), b => b.TextContent.Contains("Approve", StringComparison.Ordinal));

        // Found and clicked on the renderer's thread, so no re-render can drop the handler in between.
        await page.InvokeAsync(() => page.FindAll("[data-testid=actions] button").Single(b => b.TextContent.Contains("Take", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() => Assert.Equal("With Aiko Agent", page.Find("[data-testid=holder]").TextContent));
        var buttons = page.FindAll("[data-testid=actions] button").Select(b => b.TextContent.Trim()).ToList();
        Assert.Contains("Approve", buttons);
        Assert.Contains("Reject", buttons);
        Assert.Contains("Ask the victim", buttons);
        Assert.Contains("Escalate", buttons);
    }

    [DatabaseTheory]
    public async Task An_unknown_claim_number_says_so(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var engine = EngineHost.Create(db, new FixedClock());
        this.UseEngine(engine, 1, "Aiko Agent");

        var page = Render<StaffClaimPage>(p => p.Add(c => c.Reference, "CLM-2026-999999"));

        page.WaitForAssertion(() => Assert.Contains("There is no claim CLM-2026-999999.", page.Markup, StringComparison.Ordinal));
    }
}
