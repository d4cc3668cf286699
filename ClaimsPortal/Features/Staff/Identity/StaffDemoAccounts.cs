using System.Security.Cryptography;
using System.Text;
using ClaimsOffice.Database.Staff;
using Microsoft.AspNetCore.Identity;

namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>A demo staff account: who, which roles, the payout they may approve alone.</summary>
public sealed record DemoStaffAccount(string Email, string DisplayName, string Role, long ApprovalLimit)
{
    /// <summary>Finance and Admin need two-factor, so their demo accounts come already enrolled with a known key.</summary>
    public bool TwoFactor => Role is StaffRoles.Finance or StaffRoles.Admin;

    /// <summary>
    /// The demo authenticator key, derived from the address so it is the same on every machine. Demo only:
    /// anyone who reads this code can compute the codes, which is the point of a demo and why it never runs in production.
    /// </summary>
    public string AuthenticatorKey => Totp.Base32Encode(SHA256.HashData(Encoding.UTF8.GetBytes("claimsoffice-demo-staff:" + Email)).AsSpan(0, 20));
}

/// <summary>
/// Embedded mode only (Portal:SeedDemoData): one staff account per role, and a second agent so four-eyes can be
/// tried, all with one printed password. The development inbox shows the current two-factor codes.
/// </summary>
public sealed class StaffDemoAccounts(UserManager<StaffUser> users, IUserStore<StaffUser> store, TimeProvider clock)
{
    public const string Password = "ClaimsDemo2026";

    public static readonly IReadOnlyList<DemoStaffAccount> Accounts =
    [
        new("agent@claims.example", "Aiko Sasaki", StaffRoles.Agent, 300_000),
        new("agent2@claims.example", "Kenji Mori", StaffRoles.Agent, 300_000),
        new("finance@claims.example", "Mika Ito", StaffRoles.Finance, 2_000_000),
        new("admin@claims.example", "Sora Kato", StaffRoles.Admin, 0),
    ];

    /// <summary>Creates the demo accounts that do not exist yet; existing ones are left as they are.</summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        foreach (var account in Accounts)
        {
            ct.ThrowIfCancellationRequested();
            if (await users.FindByEmailAsync(account.Email) is not null)
            {
                continue;
            }
            var user = new StaffUser
            {
                UserName = account.Email,
                Email = account.Email,
                DisplayName = account.DisplayName,
                ApprovalLimit = account.ApprovalLimit,
                CreatedAt = clock.GetUtcNow(),
            };
            Check(await users.CreateAsync(user, Password), account);
            Check(await users.AddToRoleAsync(user, account.Role), account);
            if (account.TwoFactor)
            {
                // Identity's own "reset key" would make a random one; the demo needs one the inbox can show codes for.
                await ((IUserAuthenticatorKeyStore<StaffUser>)store).SetAuthenticatorKeyAsync(user, account.AuthenticatorKey, ct);
                Check(await users.SetTwoFactorEnabledAsync(user, true), account);
            }
        }
    }

    private static void Check(IdentityResult result, DemoStaffAccount account)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create the demo staff account {account.Email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
