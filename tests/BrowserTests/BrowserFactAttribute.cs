using ClaimsOffice.TestKit.Databases;

namespace ClaimsOffice.BrowserTests;

/// <summary>
/// A test that drives Debian's Chromium. Skipped with a reason where no Chromium is installed (or, with
/// <see cref="Postgres"/>, no test PostgreSQL is configured), except under CI (CLAIMS_TEST_REQUIRE_ALL=1),
/// where it must run.
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

    /// <summary>The test runs on PostgreSQL (CLAIMS_TEST_POSTGRES).</summary>
    public bool Postgres
    {
        get;
        set
        {
            field = value;
            if (value && !PostgresServer.IsConfigured && !PostgresServer.RequireAll)
            {
                Skip ??= PostgresServer.NotConfiguredMessage;
            }
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
