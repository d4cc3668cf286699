using System.Globalization;
using System.Security.Claims;

namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>What staff pages and services read from a signed-in staff member's principal.</summary>
public static class StaffPrincipal
{
    /// <summary>Identity adds this "authentication methods" claim; "mfa" means the session passed two-factor.</summary>
    public const string AuthenticationMethodClaim = "amr";
    public const string TwoFactorMethod = "mfa";

    /// <summary>The staff user id (staff_users.id) of a signed-in staff member, or null for anyone else.</summary>
    public static long? StaffUserId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return IsStaff(user) && long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
    }

    public static bool IsStaff(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.HasClaim(c => c.Type == StaffClaimsPrincipalFactory.DisplayNameClaim);
    }

    public static string? StaffDisplayName(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(StaffClaimsPrincipalFactory.DisplayNameClaim);
    }

    public static bool PassedTwoFactor(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.HasClaim(AuthenticationMethodClaim, TwoFactorMethod);
    }
}
