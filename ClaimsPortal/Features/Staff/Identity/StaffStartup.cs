using ClaimsOffice.Database.Staff;
using ClaimsOffice.Portal.Features.Staff.Admin;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ClaimsOffice.Portal.Hosting;
using Microsoft.AspNetCore.Identity;

namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>
/// At start (after the schema is migrated): demo staff accounts in embedded mode, and in production the first
/// administrator named by <c>Staff:BootstrapAdminEmail</c> when there is no active one. Then tells the console how staff sign in.
/// </summary>
public sealed class StaffStartup(
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    IServer server,
    ILogger<StaffStartup> logger) : IHostedService, IWelcomeLines
{
    public const string BootstrapAdminKey = "Staff:BootstrapAdminEmail";

    private bool _demo;
    private string? _bootstrapLink;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var demo = configuration.GetValue<bool>("Portal:SeedDemoData");
        await using var scope = scopes.CreateAsyncScope();
        if (demo)
        {
            await scope.ServiceProvider.GetRequiredService<StaffDemoAccounts>().EnsureAsync(cancellationToken);
        }
        _demo = demo;
        if (configuration[BootstrapAdminKey] is { Length: > 0 } email)
        {
            _bootstrapLink = await BootstrapAdminAsync(scope.ServiceProvider, email.Trim(), cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Invites the first administrator when no enabled Admin exists; the set-password link goes to the log once.</summary>
    private async Task<string?> BootstrapAdminAsync(IServiceProvider services, string email, CancellationToken ct)
    {
        var users = services.GetRequiredService<UserManager<StaffUser>>();
        var admins = await users.GetUsersInRoleAsync(StaffRoles.Admin);
        if (admins.Any(a => a.DisabledAt is null))
        {
            return null;
        }
        var admin = services.GetRequiredService<StaffAdminService>();
        var result = await admin.InviteAsync("system:bootstrap", email, "Administrator", [StaffRoles.Admin], "0", BaseUrl(), ct);
        if (!result.Succeeded)
        {
            logger.LogError("Could not create the first administrator {Email}: {Message}", email, result.Message);
            return null;
        }
        logger.LogWarning("Created the first administrator {Email}. Open this link once to choose a password: {Link}", email, result.Link);
        return result.Link;
    }

    private string BaseUrl() =>
        configuration["Staff:PublicUrl"] ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";

    public IEnumerable<string> Lines(string url)
    {
        yield return $"  Staff sign in at {url}{StaffIdentityExtensions.SignInPath}";
        if (_demo)
        {
            yield return $"  Demo staff (demo only; password {StaffDemoAccounts.Password}; two-factor codes in {url}/dev/inbox):";
            foreach (var a in StaffDemoAccounts.Accounts)
            {
                yield return $"    {a.Email,-28} {a.Role,-8} {a.DisplayName}";
            }
        }
        if (_bootstrapLink is not null)
        {
            yield return $"  First administrator: choose a password at {_bootstrapLink}";
        }
    }
}
