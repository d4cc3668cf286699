using System.Text.Json;
using System.Text.RegularExpressions;
using ClaimsOffice.TestKit.Databases;
using Microsoft.Playwright;

namespace ClaimsOffice.BrowserTests.Staff;

/// <summary>
/// Staff in Chromium: the portal with its demo staff accounts (Portal:SeedDemoData with customers already in the
/// database, so only the staff accounts are created), signing in, and two-factor with the code the development inbox shows.
/// </summary>
internal static partial class StaffBrowser
{
    public const string Agent = "agent@claims.example";
    public const string Finance = "finance@claims.example";
    public const string Password = "ClaimsDemo2026";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Settings for a portal over <paramref name="db"/>, worker in-process, demo staff accounts.</summary>
    public static Dictionary<string, string> Settings(TestDatabase db) => new()
    {
        ["Database:Provider"] = db.Kind.ToString(),
        ["ConnectionStrings:Claims"] = db.ConnectionString,
        ["Worker:InProcess"] = "true",
        ["Worker:UseDevelopmentMailbox"] = "true",
        ["Worker:OutboxInterval"] = "00:00:00.200",
        // The database already has this test's customers, so the seeder writes nothing; the demo staff accounts are created.
        ["Portal:SeedDemoData"] = "true",
    };

    /// <summary>Signs in with the demo password; for two-factor accounts reads the current code from the development inbox.</summary>
    public static async Task SignInAsync(IBrowserContext context, IPage page, string email, bool twoFactor = false, string? shotName = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Staff pages load their data after the circuit connects: on a busy shared machine that takes a while.
        context.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(20_000);
        await page.GotoAsync("/staff/sign-in");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        if (twoFactor)
        {
            await Assertions.Expect(page.Locator("#code")).ToBeVisibleAsync();
            var inbox = await context.NewPageAsync();
            await inbox.GotoAsync("/dev/inbox");
            var code = await inbox.Locator($"[data-testid=demo-staff-code][data-email='{email}']").InnerTextAsync();
            if (shotName is not null)
            {
                await BrowserSession.ShotAsync(inbox, shotName + "-inbox");
            }
            await inbox.CloseAsync();
            Assert.Matches(SixDigits(), code);
            await page.FillAsync("#code", code);
            if (shotName is not null)
            {
                await BrowserSession.ShotAsync(page, shotName);
            }
            await page.ClickAsync("button:has-text('Verify')");
        }
        await Assertions.Expect(page.Locator("[data-testid=staff-signed-in]")).ToBeVisibleAsync();
    }

    /// <summary>Waits until the interactive circuit is up (a click before that would be lost).</summary>
    public static Task WaitForCircuitAsync(IPage page, PortalProcess portal) =>
        ShotOnFailureAsync(page, "circuit", () => page.Locator("[data-circuit=on]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 }), portal);

    /// <summary>Runs a step; when it fails, keeps a screenshot of what the page showed instead.</summary>
    public static async Task ShotOnFailureAsync(IPage page, string step, Func<Task> action, PortalProcess portal)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(portal);
        try
        {
            await action();
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            // What the page showed instead (an error bar, a reconnect dialog) and what the portal logged.
            await BrowserSession.ShotAsync(page, "failed-" + step + "-" + DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture));
            var log = portal.Output.Split(Environment.NewLine);
            throw new InvalidOperationException($"{step}: {e.Message}{Environment.NewLine}Portal output (last 60 lines):{Environment.NewLine}{string.Join(Environment.NewLine, log.TakeLast(60))}", e);
        }
    }

    /// <summary>
    /// Each element <paramref name="inner"/> matches in the card ends at or before the card's right edge, and the page is no
    /// wider than the window: nothing runs off its card or makes the page scroll sideways.
    /// </summary>
    public static async Task AssertInsideCardAsync(IPage page, string card, string inner, string what)
    {
        ArgumentNullException.ThrowIfNull(page);
        var cardLocator = page.Locator(card);
        await Assertions.Expect(cardLocator).ToBeVisibleAsync();
        // Measured in one step in the page, so a re-render between two reads cannot mix two layouts.
        var json = await cardLocator.EvaluateAsync<string>(
            """
            (c, inner) => JSON.stringify({
                cardRight: c.getBoundingClientRect().right,
                pageWidth: document.documentElement.scrollWidth,
                elements: [...c.querySelectorAll(inner)].map(e => ({ right: e.getBoundingClientRect().right, text: e.innerText })),
            })
            """, inner);
        var layout = JsonSerializer.Deserialize<Layout>(json, JsonSerializerOptions.Web)!;
        var window = page.ViewportSize!.Width;
        Assert.NotEmpty(layout.Elements);
        foreach (var element in layout.Elements)
        {
            // Half a pixel for sub-pixel layout.
            Assert.True(element.Right <= layout.CardRight + 0.5,
                $"At {window} px wide a {what} in {card} ends at {element.Right:0.#} px, past its card's right edge at {layout.CardRight:0.#} px: \"{element.Text}\"");
        }
        Assert.True(layout.PageWidth <= window, $"At {window} px wide the page is {layout.PageWidth} px wide and scrolls sideways.");
    }

    private sealed record Layout(double CardRight, int PageWidth, IReadOnlyList<Box> Elements);

    private sealed record Box(double Right, string Text);

    /// <summary>Each element <paramref name="selector"/> matches shows all of its text (none cut off at its edge).</summary>
    public static async Task AssertNotClippedAsync(IPage page, string selector)
    {
        ArgumentNullException.ThrowIfNull(page);
        // Listing does not wait: let the interactive page render what it shows after its first paint (as the card check does).
        await Assertions.Expect(page.Locator(selector).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var elements = await page.Locator(selector).AllAsync();
        Assert.NotEmpty(elements);
        foreach (var element in elements)
        {
            var widths = await element.EvaluateAsync<int[]>("e => [e.scrollWidth, e.clientWidth]");
            Assert.True(widths[0] <= widths[1],
                $"At {page.ViewportSize!.Width} px wide \"{await element.InnerTextAsync()}\" needs {widths[0]} px and has {widths[1]} px: its text is cut off.");
        }
    }

    /// <summary>The snackbar with this text (earlier ones may still be showing).</summary>
    public static ILocator Snackbar(IPage page, string text) => page.Locator(".mud-snackbar", new() { HasText = text });

    [GeneratedRegex(@"^\d{6}$")]
    private static partial Regex SixDigits();
}
