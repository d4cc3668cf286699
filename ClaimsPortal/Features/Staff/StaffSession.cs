using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace ClaimsOffice.Portal.Features.Staff;

/// <summary>
/// The signed-in staff member's id (staff_users.id), read from the user-id claim Identity puts in the staff cookie.
/// Pages reach here only through a staff policy (which requires the staff scheme); the services re-check roles
/// and limits from the database, so this only says who is asking.
/// </summary>
public static class StaffSession
{
    public static async Task<long?> StaffIdAsync(AuthenticationStateProvider auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        var state = await auth.GetAuthenticationStateAsync();
        return StaffId(state.User);
    }

    public static long? StaffId(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var raw = user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        return long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
