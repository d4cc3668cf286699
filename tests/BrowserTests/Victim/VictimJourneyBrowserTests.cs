using System.Text.RegularExpressions;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Intake;
using ClaimsOffice.Worker.Notifications;
using ClaimsOffice.Worker.SignIn;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace ClaimsOffice.BrowserTests.Victim;

/// <summary>
/// The victim's journey in Chromium against the portal as a real process: sign in, a refused form, "Not me",
/// and the claim's outcome arriving on the open page without a reload. Screenshots at phone and desktop size.
/// </summary>
public sealed class VictimJourneyBrowserTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [BrowserFact]
    public Task Victim_reports_stolen_payments_and_watches_the_money_arrive_on_Sqlite() => JourneyAsync(DatabaseKind.Sqlite);

    [BrowserFact(Postgres = true)]
    public Task Victim_reports_stolen_payments_and_watches_the_money_arrive_on_Postgres() => JourneyAsync(DatabaseKind.Postgres);

    [BrowserFact]
    public Task A_decision_made_in_another_process_appears_on_the_open_page_on_Sqlite() => DecisionFromAnotherProcessAsync(DatabaseKind.Sqlite);

    [BrowserFact(Postgres = true)]
    public Task A_decision_made_in_another_process_appears_on_the_open_page_on_Postgres() => DecisionFromAnotherProcessAsync(DatabaseKind.Postgres);

    private static async Task JourneyAsync(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = await PortalProcess.StartAsync(Settings(db, inProcessWorker: true), StartTimeout);
        await using var browser = await BrowserSession.StartAsync();
        var shots = kind == DatabaseKind.Sqlite;
        await using var phone = await browser.NewContextAsync(portal.BaseAddress, BrowserSession.Phone);
        var page = await phone.NewPageAsync();

        await page.GotoAsync("/");
        await page.ClickAsync("a:has-text('Report a payment')");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/me/sign-in$"));
        await BrowserSession.SignInAsync(phone, page, victim.Customer.Phone, shotName: shots ? "phone-01-sign-in" : null);
        if (shots)
        {
            await BrowserSession.ShotAsync(page, "phone-02-account");
        }

        // Nothing ticked, nothing said: refused with a summary that names both problems and links to the fields.
        await page.ClickAsync("[data-testid=file-claim]");
        var summary = page.Locator("[data-testid=error-summary]");
        await Assertions.Expect(summary).ToContainTextAsync("Choose at least one transaction you did not make.");
        await Assertions.Expect(summary).ToContainTextAsync("Tell us briefly what happened.");
        await Assertions.Expect(summary.Locator("a[href='#description']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#description")).ToHaveAttributeAsync("aria-invalid", "true");
        if (shots)
        {
            await BrowserSession.ShotAsync(page, "phone-03-claim-form-error");
        }

        foreach (var reference in victim.DisputedReferences)
        {
            // The whole row's label ticks the box, as a thumb would.
            await page.ClickAsync($"label[for='tx-{reference}']");
            await Assertions.Expect(page.Locator($"#tx-{reference}")).ToBeCheckedAsync();
        }
        await page.FillAsync("#description", "I got a sign-in alert from a phone I do not own, then these payments appeared.");
        await page.ClickAsync("[data-testid=file-claim]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/me/claims/CLM-\\d{4}-\\d{6}$"));
        await MarkDocumentAsync(page);

        var outcome = page.Locator("[data-testid=claim-outcome]");
        await Assertions.Expect(outcome).ToContainTextAsync("Reimbursed", new() { Timeout = 20_000 });
        await Assertions.Expect(outcome).ToContainTextAsync("Time from report to money");
        await Assertions.Expect(page.Locator("[data-testid=claim-timeline] [data-step=decided]")).ToHaveAttributeAsync("data-state", "done");
        await AssertNotReloadedAsync(page);
        if (!shots)
        {
            return;
        }
        await BrowserSession.ShotAsync(page, "phone-04-claim-paid");

        // The same screens at desktop size, with the phone's session.
        await using (var anonymous = await browser.NewContextAsync(portal.BaseAddress, BrowserSession.Desktop))
        {
            var signIn = await anonymous.NewPageAsync();
            await signIn.GotoAsync("/me/sign-in");
            await signIn.FillAsync("#contact", victim.Customer.Phone);
            await BrowserSession.ShotAsync(signIn, "desktop-01-sign-in");
        }
        await using var desktop = await browser.NewContextAsync(portal.BaseAddress, BrowserSession.Desktop, signedInAs: phone);
        var wide = await desktop.NewPageAsync();
        await wide.GotoAsync(page.Url);
        await Assertions.Expect(wide.Locator("[data-testid=claim-outcome]")).ToContainTextAsync("Reimbursed");
        await BrowserSession.ShotAsync(wide, "desktop-04-claim-paid");
        await wide.GotoAsync("/me");
        await BrowserSession.ShotAsync(wide, "desktop-02-account");
        await wide.ClickAsync("[data-testid=file-claim]");
        await Assertions.Expect(wide.Locator("[data-testid=error-summary]")).ToBeVisibleAsync();
        await BrowserSession.ShotAsync(wide, "desktop-03-claim-form-error");
    }

    /// <summary>
    /// The portal runs no worker; this test process is the worker. The claim page is open and connected before
    /// the decision is made, so the outcome can only arrive by being pushed (LISTEN/NOTIFY on PostgreSQL, the
    /// watcher's poll on SQLite).
    /// </summary>
    private static async Task DecisionFromAnotherProcessAsync(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await Scenarios.OwnPaymentDisputerAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = await PortalProcess.StartAsync(Settings(db, inProcessWorker: false), StartTimeout);
        await using var worker = OtherWorker(db);
        var outbox = worker.GetRequiredService<OutboxDispatcher>();
        await using var browser = await BrowserSession.StartAsync();
        var shots = kind == DatabaseKind.Sqlite;
        await using var phone = await browser.NewContextAsync(portal.BaseAddress, BrowserSession.Phone);
        var page = await phone.NewPageAsync();

        await BrowserSession.SignInAsync(phone, page, victim.Customer.Phone, deliver: () => outbox.DispatchDueAsync(CancellationToken.None));
        await page.ClickAsync($"label[for='tx-{victim.DisputedReferences[0]}']");
        await page.FillAsync("#description", "I do not remember this payment.");
        await page.ClickAsync("[data-testid=file-claim]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/me/claims/CLM-\\d{4}-\\d{6}$"));
        var outcome = page.Locator("[data-testid=claim-outcome]");
        // Connected: the card says it updates by itself (before the circuit starts it offers a reload instead).
        await Assertions.Expect(outcome).ToContainTextAsync("This page updates by itself", new() { Timeout = 15_000 });
        await Assertions.Expect(outcome).ToContainTextAsync("We are checking your claim");
        await MarkDocumentAsync(page);

        var claim = Assert.Single(await worker.GetRequiredService<ClaimRepository>().ListForCustomerAsync(victim.Customer.Id, CancellationToken.None));
        Assert.Equal(ClaimStatus.Submitted, claim.Status);
        Assert.Equal(AssessmentResult.InReview, await worker.GetRequiredService<AssessmentService>().AssessAsync(claim.Id, CancellationToken.None));

        await Assertions.Expect(outcome).ToContainTextAsync("In review.", new() { Timeout = 10_000 });
        await Assertions.Expect(outcome).ToContainTextAsync("A decision is due by");
        await Assertions.Expect(page.Locator("[data-testid=claim-status] [data-status]")).ToHaveTextAsync("In review");
        await AssertNotReloadedAsync(page);
        if (shots)
        {
            await BrowserSession.ShotAsync(page, "phone-05-claim-in-review");
            await using var desktop = await browser.NewContextAsync(portal.BaseAddress, BrowserSession.Desktop, signedInAs: phone);
            var wide = await desktop.NewPageAsync();
            await wide.GotoAsync(page.Url);
            await Assertions.Expect(wide.Locator("[data-testid=claim-outcome]")).ToContainTextAsync("In review.");
            await BrowserSession.ShotAsync(wide, "desktop-05-claim-in-review");
        }

        // A plain reload shows the same truth.
        await page.ReloadAsync();
        await Assertions.Expect(outcome).ToContainTextAsync("In review.");
    }

    private static Dictionary<string, string> Settings(TestDatabase db, bool inProcessWorker) => new()
    {
        ["Database:Provider"] = db.Kind.ToString(),
        ["ConnectionStrings:Claims"] = db.ConnectionString,
        ["Worker:InProcess"] = inProcessWorker ? "true" : "false",
        ["Worker:UseDevelopmentMailbox"] = "true",
        ["Worker:OutboxInterval"] = "00:00:00.200",
        ["Portal:SeedDemoData"] = "false",
    };

    /// <summary>The engine in this test process, delivering SMS to the development inbox like the portal would.</summary>
    private static ServiceProvider OtherWorker(TestDatabase db)
    {
        var options = new WorkerOptions { UseDevelopmentMailbox = true, InProcess = false };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(options));
        services.AddClaimsDatabase(db.Options);
        services.AddClaimsEngine(options);
        // Nothing here schedules jobs: this process does the work itself, step by step.
        var queue = new RecordingQueue();
        services.RemoveAll<IAssessmentQueue>();
        services.RemoveAll<IOutboxNudge>();
        services.AddSingleton<IAssessmentQueue>(queue);
        services.AddSingleton<IOutboxNudge>(queue);
        return services.BuildServiceProvider();
    }

    /// <summary>A mark on the loaded document: a reload or full navigation would lose it.</summary>
    private static Task MarkDocumentAsync(IPage page) => page.EvaluateAsync("() => { window.__claimsNotReloaded = true; }");

    private static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => window.__claimsNotReloaded === true"), "The page was reloaded; the outcome should have been pushed into it.");
}
