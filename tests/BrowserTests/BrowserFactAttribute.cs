using ClaimsOffice.TestKit.Databases;

namespace ClaimsOffice.BrowserTests;

/// <summary>
/// A test that drives Debian's Chromium. Skipped with a reason where no Chromium is installed,
/// except under CI (CLAIMS_TEST_REQUIRE_ALL=1), where it must run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.ExecutablePath is null && !PostgresServer.RequireAll)
        {
            Skip = "Chromium not installed: apt-get install chromium, or set CLAIMS_TEST_CHROMIUM";
        }
    }
}

public static class Chromium
{
    public static string? ExecutablePath =>
        Environment.GetEnvironmentVariable("CLAIMS_TEST_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured) ? configured
        : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
        : null;
}
