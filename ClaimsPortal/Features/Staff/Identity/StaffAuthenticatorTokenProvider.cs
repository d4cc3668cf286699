using System.Security.Cryptography;
using System.Text;
using ClaimsOffice.Database.Staff;
using Microsoft.AspNetCore.Identity;

namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>
/// Verifies authenticator-app codes like Identity's own provider (RFC 6238, the phone's clock may be a minute
/// off either way), and also refuses a code that was accepted once: each account remembers the last time step
/// it signed in with, and only a later step passes. Identity's provider would take the same code again for
/// as long as it is in the window, so a code read over a shoulder or from a proxy log would sign in a second time.
/// </summary>
public sealed class StaffAuthenticatorTokenProvider(StaffUserRepository users, TimeProvider clock) : IUserTwoFactorTokenProvider<StaffUser>
{
    /// <summary>Steps either side of now a code is accepted from: the same two as Identity's provider.</summary>
    private const int ClockDriftSteps = 2;

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<StaffUser> manager, StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));
    }

    /// <summary>The app makes the codes; the server sends none.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<StaffUser> manager, StaffUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<StaffUser> manager, StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        var code = StaffTwoFactor.CleanCode(token);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return false;
        }
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key))
        {
            return false;
        }
        var now = Totp.TimeStep(clock.GetUtcNow());
        var typed = Encoding.ASCII.GetBytes(code);
        for (var step = now + ClockDriftSteps; step >= now - ClockDriftSteps; step--)
        {
            if (CryptographicOperations.FixedTimeEquals(typed, Encoding.ASCII.GetBytes(Totp.Code(key, step))))
            {
                // Identity's provider contract carries no cancellation token; this is one short UPDATE.
                return await users.TryUseAuthenticatorStepAsync(user.Id, step, CancellationToken.None);
            }
        }
        return false;
    }
}
