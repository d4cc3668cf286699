using System.Text.RegularExpressions;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using Microsoft.Playwright;

namespace ClaimsOffice.BrowserTests.Victim;

/// <summary>The victim's journey in Chromium on a phone-sized screen, with a screenshot of each step.</summary>
public sealed partial class VictimJourneyBrowserTests
{
    private static readonly string Screenshots = Path.Combine(
        Environment.GetEnvironmentVariable("CLAIMS_TEST_ARTIFACTS") ?? Path.Combine(Path.GetTempPath(), "claimsoffice-artifacts"), "screenshots");

    [BrowserFact]
    public async Task Victim_reports_stolen_payments_and_watches_the_money_arrive()
    {
        Assert.NotNull(Chromium.ExecutablePath);
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = await PortalProcess.StartAsync(new Dictionary<string, string>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Claims"] = db.ConnectionString,
            ["Worker:UseDevelopmentMailbox"] = "true",
            ["Worker:OutboxInterval"] = "00:00:00.200",
            ["Portal:SeedDemoData"] = "false",
        }, TimeSpan.FromSeconds(60));

        var profile = Directory.CreateTempSubdirectory("claims-chromium-");
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", profile.FullName);
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", profile.FullName);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = portal.BaseAddress.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        Directory.CreateDirectory(Screenshots);

        await page.GotoAsync("/");
        await page.ClickAsync("a.btn:has-text('Report a payment')");
        await page.FillAsync("#contact", victim.Customer.Phone);
        await Shot(page, "01-sign-in");
        await page.ClickAsync("button:has-text('Send me a code')");
        await Assertions.Expect(page.Locator("#code")).ToBeVisibleAsync();

        // The code goes through the outbox to the development inbox, as the sign-in page says.
        var inbox = await context.NewPageAsync();
        string body = "";
        for (var attempt = 0; attempt < 50 && !CodePattern().IsMatch(body); attempt++)
        {
            await inbox.GotoAsync("/dev/inbox");
            body = await inbox.Locator("[data-testid=dev-inbox]").InnerTextAsync();
        }
        await Shot(inbox, "02-development-inbox");
        var code = CodePattern().Match(body).Value;

        await page.FillAsync("#code", code);
        await page.ClickAsync("button:has-text('Sign in')");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/me$"));
        foreach (var reference in victim.DisputedReferences)
        {
            await page.CheckAsync($"#tx-{reference}");
        }
        await page.FillAsync("#description", "I got a sign-in alert from a phone I do not own, then these payments appeared.");
        await Shot(page, "03-not-me");
        await page.ClickAsync("button:has-text('Report these as not me')");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/me/claims/CLM-\\d{4}-\\d{6}$"));
        // No reload here: the page's own enhancement brings the outcome in.
        await Assertions.Expect(page.Locator("[data-testid=claim-outcome]")).ToContainTextAsync("Reimbursed", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=claim-outcome]")).ToContainTextAsync("Time from report to money");
        await Shot(page, "04-reimbursed");
    }

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex CodePattern();
}
