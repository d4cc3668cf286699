using System.Text.RegularExpressions;
using ClaimsOffice.Database.Payouts;
using ClaimsOffice.Database.Review;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Intake;
using Microsoft.Playwright;

namespace ClaimsOffice.BrowserTests.Staff;

/// <summary>
/// Staff journeys in Chromium against the portal as a real process: an agent deciding a claim from the queue, finance
/// approving a payout above the agent's limit with two-factor, and a campaign approved in bulk. Screenshots on SQLite.
/// </summary>
public sealed class StaffJourneyBrowserTests
{
    [BrowserFact]
    public Task Agent_takes_a_claim_from_the_queue_and_approves_it_and_the_victim_sees_the_money_on_Sqlite() => AgentDecidesAsync(DatabaseKind.Sqlite);

    [BrowserFact(Postgres = true)]
    public Task Agent_takes_a_claim_from_the_queue_and_approves_it_and_the_victim_sees_the_money_on_Postgres() => AgentDecidesAsync(DatabaseKind.Postgres);

    [BrowserFact]
    public Task Finance_approves_with_two_factor_a_payout_above_the_automatic_limit_and_it_is_paid_once_on_Sqlite() => FinanceApprovesAsync(DatabaseKind.Sqlite);

    [BrowserFact(Postgres = true)]
    public Task Finance_approves_with_two_factor_a_payout_above_the_automatic_limit_and_it_is_paid_once_on_Postgres() => FinanceApprovesAsync(DatabaseKind.Postgres);

    [BrowserFact]
    public Task Agent_approves_the_matching_claims_of_a_campaign_in_bulk_on_Sqlite() => CampaignAsync(DatabaseKind.Sqlite);

    [BrowserFact(Postgres = true)]
    public Task Agent_approves_the_matching_claims_of_a_campaign_in_bulk_on_Postgres() => CampaignAsync(DatabaseKind.Postgres);

    private static async Task AgentDecidesAsync(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await Scenarios.OwnPaymentDisputerAsync(db.Connections, DateTimeOffset.UtcNow);
        string claimNumber;
        long claimId;
        await using (var engine = EngineHost.Create(db, TimeProvider.System))
        {
            // Filed and assessed as the worker would: a payment from the victim's own phone goes to a person.
            var filed = await engine.GetRequiredService<ClaimIntake>().FileAsync(
                new FileClaimRequest(victim.Customer.Id, victim.DisputedReferences, "I did not pay at this restaurant."), CancellationToken.None);
            claimNumber = filed.Claim!.ClaimNumber;
            claimId = filed.Claim.Id;
            Assert.Equal(AssessmentResult.InReview, await engine.GetRequiredService<AssessmentService>().AssessAsync(claimId, CancellationToken.None));
        }
        await using var portal = await PortalProcess.StartAsync(StaffBrowser.Settings(db), StaffBrowser.StartTimeout);
        await using var browser = await BrowserSession.StartAsync();
        var shots = kind == DatabaseKind.Sqlite;
        await using var desk = await browser.NewContextAsync(portal.BaseAddress, BrowserSession.Desktop);
        var page = await desk.NewPageAsync();

        await StaffBrowser.SignInAsync(desk, page, StaffBrowser.Agent);
        // A menu link clicked before the circuit is up is fetched as a page while the circuit starts on the old one (CI saw the
        // dashboard stay): wait for it as a person waits for the page to respond.
        await StaffBrowser.WaitForCircuitAsync(page, portal);
        await page.ClickAsync("[data-testid=staff-nav] a:has-text('Queue')");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/staff/queue$"));
        await StaffBrowser.WaitForCircuitAsync(page, portal);
        var row = page.Locator($"[data-testid=queue-grid] tbody tr:has(a:has-text('{claimNumber}'))");
        await StaffBrowser.ShotOnFailureAsync(page, "queue-take", () => row.Locator("button:has-text('Take')").ClickAsync(), portal);
        await Assertions.Expect(row.Locator("[data-testid=holder]")).ToHaveTextAsync("Aiko Sasaki");
        if (shots)
        {
            await BrowserSession.ShotAsync(page, "staff-desktop-01-queue-taken");
        }

        await row.Locator($"a:has-text('{claimNumber}')").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/staff/claims/{claimNumber}$"));
        await StaffBrowser.ShotOnFailureAsync(page, "claim-page", () => Assertions.Expect(page.Locator("[data-testid=claim-head] [data-testid=holder]"))
            .ToHaveTextAsync("With Aiko Sasaki", new() { Timeout = 45_000 }), portal);
        await Assertions.Expect(page.Locator("[data-testid=assessment] [data-rule=trusted-device]")).ToBeVisibleAsync();
        // The findings' raw evidence (long JSON with unbroken runs) stays inside its card, on a desk and on a phone.
        await StaffBrowser.AssertInsideCardAsync(page, "[data-testid=assessment]", "[data-rule] code", "evidence");
        await StaffBrowser.AssertInsideCardAsync(page, "[data-testid=victim]", "a", "contact");
        await using (var small = await browser.NewContextAsync(portal.BaseAddress, BrowserSession.Phone, signedInAs: desk))
        {
            var phonePage = await small.NewPageAsync();
            await phonePage.GotoAsync(page.Url);
            await StaffBrowser.ShotOnFailureAsync(phonePage, "claim-page-phone", () => Assertions.Expect(phonePage.Locator("[data-testid=assessment] [data-rule=trusted-device]"))
                .ToBeVisibleAsync(new() { Timeout = 45_000 }), portal);
            if (shots)
            {
                await BrowserSession.ShotAsync(phonePage, "staff-phone-01-claim-taken");
            }
            await StaffBrowser.AssertInsideCardAsync(phonePage, "[data-testid=assessment]", "[data-rule] code", "evidence");
            await StaffBrowser.AssertInsideCardAsync(phonePage, "[data-testid=victim]", "a", "contact");
            await StaffBrowser.AssertNotClippedAsync(phonePage, "[data-testid=actions] button");
        }
        await page.ClickAsync("[data-testid=actions] button:has-text('Approve')");
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync(victim.DisputedReferences[0]);
        if (shots)
        {
            await BrowserSession.ShotAsync(page, "staff-desktop-02-approve-dialog");
        }
        await dialog.Locator("button:has-text('Approve')").ClickAsync();
        await Assertions.Expect(StaffBrowser.Snackbar(page, $"Claim {claimNumber} approved and paid.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=claim-head] [data-status]")).ToHaveTextAsync("Paid");
        if (shots)
        {
            await BrowserSession.ShotAsync(page, "staff-desktop-03-claim-paid");
        }
        await using (var engine = EngineHost.Create(db, TimeProvider.System))
        {
            var payout = Assert.Single(await engine.GetRequiredService<PayoutRepository>().ListForClaimAsync(claimId, CancellationToken.None));
            Assert.Equal(victim.DisputedTotal, payout.Amount);
        }

        // The victim, on their phone, sees the money on their claim's page.
        await using var phone = await browser.NewContextAsync(portal.BaseAddress, BrowserSession.Phone);
        var mine = await phone.NewPageAsync();
        await BrowserSession.SignInAsync(phone, mine, victim.Customer.Phone);
        await mine.GotoAsync($"/me/claims/{claimNumber}");
        await Assertions.Expect(mine.Locator("[data-testid=claim-outcome]")).ToContainTextAsync("Reimbursed ¥12,000 to your wallet.");
        await StaffBrowser.AssertInsideCardAsync(mine, "[data-testid=claim-status]", "[data-testid=evidence-list] td", "transaction");
        if (shots)
        {
            await BrowserSession.ShotAsync(mine, "staff-phone-04-victim-sees-paid");
        }
    }

    private static async Task FinanceApprovesAsync(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var customer = await new CustomerBuilder().Named("Daichi Hayashi").InsertAsync(db.Connections);
        // ¥150,000: within the agent's own limit (¥300,000) but above the automatic payout limit (¥100,000).
        var claim = await new ClaimInReviewBuilder().ForCustomer(customer.Id).Disputing(150_000, "Mule Account 31").Score(55)
            .WithFinding("new-device").SubmittedAt(DateTimeOffset.UtcNow.AddHours(-3)).InsertAsync(db.Connections);
        await using var portal = await PortalProcess.StartAsync(StaffBrowser.Settings(db), StaffBrowser.StartTimeout);
        await using var browser = await BrowserSession.StartAsync();
        var shots = kind == DatabaseKind.Sqlite;

        await using var agentContext = await browser.NewContextAsync(portal.BaseAddress, BrowserSession.Desktop);
        var agent = await agentContext.NewPageAsync();
        await StaffBrowser.SignInAsync(agentContext, agent, StaffBrowser.Agent);
        await agent.GotoAsync($"/staff/claims/{claim.ClaimNumber}");
        await StaffBrowser.WaitForCircuitAsync(agent, portal);
        await StaffBrowser.ShotOnFailureAsync(agent, "take", () => agent.ClickAsync("[data-testid=actions] button:has-text('Take')"), portal);
        await Assertions.Expect(agent.Locator("[data-testid=claim-head] [data-testid=holder]")).ToHaveTextAsync("With Aiko Sasaki");
        await agent.ClickAsync("[data-testid=actions] button:has-text('Approve')");
        await agent.Locator(".mud-dialog button:has-text('Approve')").ClickAsync();
        await Assertions.Expect(StaffBrowser.Snackbar(agent, "the payout waits for finance")).ToBeVisibleAsync();
        await Assertions.Expect(agent.Locator("[data-testid=claim-head] [data-status]")).ToHaveTextAsync("Awaiting finance");
        if (shots)
        {
            await BrowserSession.ShotAsync(agent, "staff-desktop-05-awaiting-finance");
        }

        await using var financeContext = await browser.NewContextAsync(portal.BaseAddress, BrowserSession.Desktop);
        var finance = await financeContext.NewPageAsync();
        await StaffBrowser.SignInAsync(financeContext, finance, StaffBrowser.Finance, twoFactor: true, shotName: shots ? "staff-desktop-06-finance-two-factor" : null);
        await StaffBrowser.WaitForCircuitAsync(finance, portal);
        await finance.ClickAsync("[data-testid=staff-nav] a:has-text('Approvals')");
        await Assertions.Expect(finance).ToHaveURLAsync(new Regex("/staff/approvals$"));
        await StaffBrowser.WaitForCircuitAsync(finance, portal);
        var row = finance.Locator($"[data-testid=approvals] tbody tr:has(a:has-text('{claim.ClaimNumber}'))");
        await Assertions.Expect(row).ToContainTextAsync("¥150,000");
        await Assertions.Expect(row).ToContainTextAsync("Aiko Sasaki");
        if (shots)
        {
            await BrowserSession.ShotAsync(finance, "staff-desktop-07-approvals");
        }
        await row.Locator("button:has-text('Approve')").ClickAsync();
        await Assertions.Expect(StaffBrowser.Snackbar(finance, $"Paid ¥150,000 on claim {claim.ClaimNumber}.")).ToBeVisibleAsync();
        await Assertions.Expect(finance.Locator($"[data-testid=approvals] a:has-text('{claim.ClaimNumber}')")).ToHaveCountAsync(0);

        await finance.ClickAsync("[data-testid=staff-nav] a:has-text('Fund')");
        await Assertions.Expect(finance.Locator("[data-testid=largest-payouts]")).ToContainTextAsync(claim.ClaimNumber);
        await Assertions.Expect(finance.Locator($"[data-testid=largest-payouts] tr:has-text('{claim.ClaimNumber}')")).ToContainTextAsync("¥150,000");
        if (shots)
        {
            await BrowserSession.ShotAsync(finance, "staff-desktop-08-fund");
        }

        await using var engine = EngineHost.Create(db, TimeProvider.System);
        var paid = Assert.Single(await engine.GetRequiredService<PayoutRepository>().ListForClaimAsync(claim.Id, CancellationToken.None));
        Assert.Equal(150_000, paid.Amount);
        Assert.Equal(ReviewStatus.Paid, (await engine.GetRequiredService<ClaimReviewRepository>().GetAsync(claim.Id, CancellationToken.None))!.Status);
    }

    private static async Task CampaignAsync(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        const string device = "fp-7c1e55a0d3b2";
        var submitted = DateTimeOffset.UtcNow.AddHours(-5);
        ClaimInReviewBuilder Attack(long amount) => new ClaimInReviewBuilder().FromAttacker(device, "203.0.113.61")
            .Disputing(amount, "Mule Account 88").SubmittedAt(submitted).Score(45);
        async Task<ClaimsOffice.Database.Claims.Claim> InsertAsync(ClaimInReviewBuilder b, string name) =>
            await b.ForCustomer((await new CustomerBuilder().Named(name).InsertAsync(db.Connections)).Id).InsertAsync(db.Connections);
        var paid1 = await InsertAsync(Attack(18_000).WithFinding("shared-device-or-ip").WithFinding("new-device"), "Mei Yamamoto");
        var paid2 = await InsertAsync(Attack(24_500).WithFinding("shared-device-or-ip").WithFinding("new-device"), "Sota Nakamura");
        var toFinance = await InsertAsync(Attack(160_000).WithFinding("shared-device-or-ip").WithFinding("new-device"), "Hina Kobayashi");
        var skipped = await InsertAsync(Attack(9_000).WithFinding("shared-device-or-ip").AgainstFinding("trusted-device"), "Riku Watanabe");
        await using var portal = await PortalProcess.StartAsync(StaffBrowser.Settings(db), StaffBrowser.StartTimeout);
        await using var browser = await BrowserSession.StartAsync();
        var shots = kind == DatabaseKind.Sqlite;
        await using var desk = await browser.NewContextAsync(portal.BaseAddress, BrowserSession.Desktop);
        var page = await desk.NewPageAsync();

        await StaffBrowser.SignInAsync(desk, page, StaffBrowser.Agent);
        await StaffBrowser.WaitForCircuitAsync(page, portal);
        await page.ClickAsync("[data-testid=staff-nav] a:has-text('Campaigns')");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/staff/campaigns$"));
        await StaffBrowser.WaitForCircuitAsync(page, portal);
        var link = page.Locator("[data-testid=campaign-link]", new() { HasText = device });
        await Assertions.Expect(link).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=campaigns] tbody tr", new() { HasText = device }).Locator("[data-testid=open-claims]")).ToHaveTextAsync("4");
        if (shots)
        {
            await BrowserSession.ShotAsync(page, "staff-desktop-09-campaigns");
        }

        await link.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/staff/campaigns/\\d+$"));
        await StaffBrowser.WaitForCircuitAsync(page, portal);
        await Assertions.Expect(page.Locator("[data-testid=campaign-claims] tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("[data-testid=shared-signals]")).ToContainTextAsync("Mule Account 88");
        await Assertions.Expect(page.Locator("[data-testid=to-decide]")).ToContainTextAsync("To decide: 4");
        if (shots)
        {
            await BrowserSession.ShotAsync(page, "staff-desktop-10-campaign");
        }

        await page.ClickAsync("[data-testid=bulk-approve]");
        var dialog = page.Locator(".mud-dialog");
        await dialog.Locator("[data-rule=shared-device-or-ip] input").CheckAsync();
        await Assertions.Expect(dialog.Locator("[data-testid=bulk-preview]")).ToContainTextAsync("Pay now: 2 (¥42,500) · send to finance: 1 (¥160,000) · skip: 1");
        await Assertions.Expect(dialog.Locator("[data-testid=confirm-bulk]")).ToContainTextAsync("Approve 3 claim(s)");
        if (shots)
        {
            await BrowserSession.ShotAsync(page, "staff-desktop-11-campaign-confirm");
        }
        await dialog.Locator("[data-testid=confirm-bulk]").ClickAsync();

        await Assertions.Expect(StaffBrowser.Snackbar(page, "Approved and paid 2, sent for approval 1, skipped 1.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=bulk-result]")).ToContainTextAsync("Approved and paid 2, sent for approval 1, skipped 1.");
        await Assertions.Expect(page.Locator($"[data-testid=skipped][data-claim='{skipped.ClaimNumber}']")).ToContainTextAsync("needs a person (trusted-device)");
        await Assertions.Expect(page.Locator("[data-testid=awaiting-finance]")).ToContainTextAsync("Awaiting finance: 1");
        await Assertions.Expect(page.Locator("[data-testid=paid]")).ToContainTextAsync("Paid: 2");
        if (shots)
        {
            await BrowserSession.ShotAsync(page, "staff-desktop-12-campaign-done");
            await using var phone = await browser.NewContextAsync(portal.BaseAddress, BrowserSession.Phone, signedInAs: desk);
            var small = await phone.NewPageAsync();
            await small.GotoAsync(page.Url);
            await Assertions.Expect(small.Locator("[data-testid=campaign-claims]")).ToContainTextAsync(skipped.ClaimNumber);
            await BrowserSession.ShotAsync(small, "staff-phone-13-campaign-done");
        }

        await using var engine = EngineHost.Create(db, TimeProvider.System);
        var reviews = engine.GetRequiredService<ClaimReviewRepository>();
        var payouts = engine.GetRequiredService<PayoutRepository>();
        foreach (var c in new[] { paid1, paid2 })
        {
            Assert.Equal(ReviewStatus.Paid, (await reviews.GetAsync(c.Id, CancellationToken.None))!.Status);
            Assert.Single(await payouts.ListForClaimAsync(c.Id, CancellationToken.None));
        }
        Assert.Equal(ReviewStatus.AwaitingApproval, (await reviews.GetAsync(toFinance.Id, CancellationToken.None))!.Status);
        Assert.Empty(await payouts.ListForClaimAsync(toFinance.Id, CancellationToken.None));
        Assert.Equal(ReviewStatus.InReview, (await reviews.GetAsync(skipped.Id, CancellationToken.None))!.Status);
    }
}
