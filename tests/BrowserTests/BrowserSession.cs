using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ClaimsOffice.BrowserTests;

/// <summary>Headless Debian Chromium through Playwright, with its profile in a temporary folder, and screenshots.</summary>
public sealed partial class BrowserSession : IAsyncDisposable
{
    /// <summary>Phone first: the sizes every screen is checked at.</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    public static readonly string Screenshots = Path.Combine(
        Environment.GetEnvironmentVariable("CLAIMS_TEST_ARTIFACTS") ?? Path.Combine(Path.GetTempPath(), "claimsoffice-artifacts"), "screenshots");

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly DirectoryInfo _profile;

    private BrowserSession(IPlaywright playwright, IBrowser browser, DirectoryInfo profile)
    {
        _playwright = playwright;
        _browser = browser;
        _profile = profile;
    }

    public static async Task<BrowserSession> StartAsync()
    {
        Assert.NotNull(Chromium.ExecutablePath);
        var profile = Directory.CreateTempSubdirectory("claims-chromium-");
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", profile.FullName);
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", profile.FullName);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        Directory.CreateDirectory(Screenshots);
        return new BrowserSession(playwright, browser, profile);
    }

    /// <summary>A new browser context; <paramref name="signedInAs"/> carries over another context's cookies (its session).</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseAddress, ViewportSize viewport, IBrowserContext? signedInAs = null) =>
        await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = viewport,
            StorageState = signedInAs is null ? null : await signedInAs.StorageStateAsync(),
        });

    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    /// <summary>Signs in as the victim with the code from the development inbox; ends on <c>/me</c>.</summary>
    public static async Task SignInAsync(IBrowserContext context, IPage page, string phone, Func<Task>? deliver = null, string? shotName = null)
    {
        await page.GotoAsync("/me/sign-in");
        await page.FillAsync("#contact", phone);
        if (shotName is not null)
        {
            await ShotAsync(page, shotName);
        }
        await page.ClickAsync("button:has-text('Send me a code')");
        await Assertions.Expect(page.Locator("#code")).ToBeVisibleAsync();

        // The code goes through the outbox to the development inbox, as the sign-in page says.
        var inbox = await context.NewPageAsync();
        var body = "";
        for (var attempt = 0; attempt < 50 && !CodePattern().IsMatch(body); attempt++)
        {
            if (deliver is not null)
            {
                await deliver();
            }
            await inbox.GotoAsync("/dev/inbox");
            body = await inbox.Locator("[data-testid=dev-inbox]").InnerTextAsync();
            if (!CodePattern().IsMatch(body))
            {
                await Task.Delay(200);
            }
        }
        await inbox.CloseAsync();
        await page.FillAsync("#code", CodePattern().Match(body).Value);
        await page.ClickAsync("button:has-text('Sign in')");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/me$"));
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the folder is under /tmp.
        }
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex CodePattern();
}
