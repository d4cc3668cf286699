using Bunit;
using ClaimsOffice.Database.Approvals;
using ClaimsOffice.Database.Payouts;
using ClaimsOffice.Database.Review;
using ClaimsOffice.Portal.Features.Staff.Campaigns;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Review;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace ClaimsOffice.Portal.Tests.Features.Staff.Campaigns;

public sealed class CampaignPageTests : MudComponentTest
{
    private const string Device = "fp-attacker-campaign";

    /// <summary>Each claim of a bulk action is its own transaction; on a busy machine that takes seconds, not bUnit's default one.</summary>
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(20);

    [DatabaseTheory]
    public async Task Opening_the_campaigns_page_finds_claims_that_share_a_device_and_links_to_the_campaign(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var engine = EngineHost.Create(db, new FixedClock());
        var aiko = await new StaffMemberBuilder().Named("Aiko Agent").Agent().InsertAsync(db.Connections);
        for (var i = 0; i < 3; i++)
        {
            await new ClaimInReviewBuilder().FromAttacker(Device, $"203.0.113.{10 + i}").Disputing(10_000).InsertAsync(db.Connections);
        }
        await new ClaimInReviewBuilder().FromAttacker("fp-someone-else", "198.51.100.9").InsertAsync(db.Connections);
        Use(engine, aiko);

        var page = Render<CampaignsPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=campaigns] tbody tr")), Slow);
        var row = page.Find("[data-testid=campaigns] tbody tr");
        Assert.Contains(Device, row.TextContent, StringComparison.Ordinal);
        Assert.Equal("3", row.QuerySelector("[data-testid=open-claims]")!.TextContent.Trim());
        Assert.Contains("¥30,000", row.TextContent, StringComparison.Ordinal);
        var campaign = Assert.Single(await engine.GetRequiredService<CampaignRepository>().ListAsync(CancellationToken.None));
        Assert.Equal($"/staff/campaigns/{campaign.Id}", page.Find("[data-testid=campaign-link]").GetAttribute("href"));
    }

    [DatabaseTheory]
    public async Task Bulk_approval_confirms_in_a_dialog_then_pays_sends_to_finance_and_skips_with_reasons(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var engine = EngineHost.Create(db, new FixedClock());
        var aiko = await new StaffMemberBuilder().Named("Aiko Agent").Agent().WithLimit(30_000).InsertAsync(db.Connections);
        ClaimInReviewBuilder Attack(long amount) => new ClaimInReviewBuilder().FromAttacker(Device, "203.0.113.77").Disputing(amount, "Mule Account 12");
        var small1 = await Attack(9_000).WithFinding("shared-device-or-ip").WithFinding("new-device").Score(70).InsertAsync(db.Connections);
        var small2 = await Attack(12_000).WithFinding("shared-device-or-ip").InsertAsync(db.Connections);
        var large = await Attack(45_000).WithFinding("shared-device-or-ip").InsertAsync(db.Connections);
        var unmatched = await Attack(7_000).WithFinding("new-device").InsertAsync(db.Connections);
        var ownPhone = await Attack(8_000).WithFinding("shared-device-or-ip").AgainstFinding("trusted-device").InsertAsync(db.Connections);
        await engine.GetRequiredService<CampaignService>().DetectAsync(CancellationToken.None);
        var campaign = Assert.Single(await engine.GetRequiredService<CampaignRepository>().ListAsync(CancellationToken.None));
        Use(engine, aiko);
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();

        var page = Render<CampaignPage>(p => p.Add(c => c.Id, campaign.Id));

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=campaign-claims] tbody tr").Count), Slow);
        Assert.Contains("To decide: 5", page.Find("[data-testid=to-decide]").TextContent, StringComparison.Ordinal);
        // The signals the claims share, with how many carry each: the device, the IP and the mule payee.
        var signals = page.Find("[data-testid=shared-signals]").TextContent;
        Assert.Contains(Device, signals, StringComparison.Ordinal);
        Assert.Contains("203.0.113.77", signals, StringComparison.Ordinal);
        Assert.Contains("Mule Account 12", signals, StringComparison.Ordinal);
        Assert.Contains("in 5 claims", signals, StringComparison.Ordinal);
        Assert.NotNull(page.Find($"[data-testid=campaign-claims] a[href='/staff/claims/{small1.ClaimNumber}']"));

        await page.InvokeAsync(() => page.Find("[data-testid=bulk-approve]").Click());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=confirm-bulk]")), Slow);
        Assert.True(dialogs.Find("[data-testid=confirm-bulk]").HasAttribute("disabled"), "Nothing is approved before a finding is chosen.");
        Assert.Contains("shared-device-or-ip (on 4 of 5 claims to decide)", dialogs.Markup, StringComparison.Ordinal);
        await dialogs.InvokeAsync(() => dialogs.Find("[data-rule=shared-device-or-ip] input").Change(true));
        dialogs.WaitForAssertion(() => Assert.Contains("Pay now: 2 (¥21,000) · send to finance: 1 (¥45,000) · skip: 2",
            dialogs.Find("[data-testid=bulk-preview]").TextContent, StringComparison.Ordinal), Slow);
        Assert.Equal(ReviewStatus.InReview, await StatusAsync(engine, small1.Id));

        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=confirm-bulk]").Click());

        page.WaitForAssertion(() => Assert.Contains("Approved and paid 2, sent for approval 1, skipped 2.",
            page.Find("[data-testid=bulk-result]").TextContent, StringComparison.Ordinal), Slow);
        var skipped = page.FindAll("[data-testid=skipped]").ToDictionary(s => s.GetAttribute("data-claim")!, s => s.TextContent);
        Assert.Contains("missing shared-device-or-ip", skipped[unmatched.ClaimNumber], StringComparison.Ordinal);
        Assert.Contains("needs a person (trusted-device)", skipped[ownPhone.ClaimNumber], StringComparison.Ordinal);
        Assert.Contains("Approved and paid 2, sent for approval 1, skipped 2.", snackbars.Markup, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Contains("Awaiting finance: 1", page.Find("[data-testid=awaiting-finance]").TextContent, StringComparison.Ordinal), Slow);
        Assert.Contains("Paid: 2", page.Find("[data-testid=paid]").TextContent, StringComparison.Ordinal);

        Assert.Equal(ReviewStatus.Paid, await StatusAsync(engine, small1.Id));
        Assert.Equal(ReviewStatus.Paid, await StatusAsync(engine, small2.Id));
        Assert.Single(await engine.GetRequiredService<PayoutRepository>().ListForClaimAsync(small1.Id, CancellationToken.None));
        Assert.Equal(ReviewStatus.AwaitingApproval, await StatusAsync(engine, large.Id));
        Assert.Single(await engine.GetRequiredService<PayoutApprovalRepository>().ListForClaimAsync(large.Id, CancellationToken.None));
        Assert.Empty(await engine.GetRequiredService<PayoutRepository>().ListForClaimAsync(large.Id, CancellationToken.None));
        Assert.Equal(ReviewStatus.InReview, await StatusAsync(engine, unmatched.Id));
        Assert.Equal(ReviewStatus.InReview, await StatusAsync(engine, ownPhone.Id));
    }

    [DatabaseTheory]
    public async Task Cancelling_the_confirmation_changes_nothing(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var engine = EngineHost.Create(db, new FixedClock());
        var aiko = await new StaffMemberBuilder().Named("Aiko Agent").Agent().WithLimit(30_000).InsertAsync(db.Connections);
        var claims = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            claims.Add((await new ClaimInReviewBuilder().FromAttacker(Device, "203.0.113.5").WithFinding("new-device").InsertAsync(db.Connections)).Id);
        }
        await engine.GetRequiredService<CampaignService>().DetectAsync(CancellationToken.None);
        var campaign = Assert.Single(await engine.GetRequiredService<CampaignRepository>().ListAsync(CancellationToken.None));
        Use(engine, aiko);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<CampaignPage>(p => p.Add(c => c.Id, campaign.Id));
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=campaign-claims] tbody tr").Count), Slow);

        await page.InvokeAsync(() => page.Find("[data-testid=bulk-approve]").Click());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-rule=new-device] input")), Slow);
        await dialogs.InvokeAsync(() => dialogs.Find("[data-rule=new-device] input").Change(true));
        // Found and clicked in one dispatch: ticking a finding re-renders the dialog's preview, which renews its buttons' handlers.
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm-bulk]")), Slow);
        Assert.Empty(page.FindAll("[data-testid=bulk-result]"));
        foreach (var id in claims)
        {
            Assert.Equal(ReviewStatus.InReview, await StatusAsync(engine, id));
        }
    }

    [DatabaseTheory]
    public async Task An_unknown_campaign_says_so(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var engine = EngineHost.Create(db, new FixedClock());
        Use(engine, 1);

        var page = Render<CampaignPage>(p => p.Add(c => c.Id, 999));

        page.WaitForAssertion(() => Assert.Contains("There is no campaign 999.", page.Markup, StringComparison.Ordinal), Slow);
    }

    private void Use(EngineHost engine, long agentId)
    {
        // Before UseEngine: it signs in, which reads the services, and bUnit takes no registrations after that.
        Services.AddSingleton(engine.GetRequiredService<CampaignRepository>());
        Services.AddSingleton(engine.GetRequiredService<CampaignService>());
        Services.AddSingleton(engine.GetRequiredService<IOptions<ReviewOptions>>());
        this.UseEngine(engine, agentId, "Aiko Agent");
    }

    private static async Task<string> StatusAsync(EngineHost engine, long claimId) =>
        (await engine.GetRequiredService<ClaimReviewRepository>().GetAsync(claimId, CancellationToken.None))!.Status;
}
