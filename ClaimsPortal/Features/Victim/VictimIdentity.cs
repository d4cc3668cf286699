using System.Globalization;
using System.Security.Claims;
using ClaimsOffice.Database.Customers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ClaimsOffice.Portal.Features.Victim;

/// <summary>The signed-in victim's identity in the sign-in cookie: their customer id and name, nothing else.</summary>
public static class VictimIdentity
{
    public const string Role = "Victim";

    public static Task SignInAsync(HttpContext http, Customer customer)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(customer);
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, customer.Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, customer.FullName),
            new Claim(ClaimTypes.Role, Role),
        ], CookieAuthenticationDefaults.AuthenticationScheme);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = false, ExpiresUtc = DateTimeOffset.UtcNow.AddHours(2) });
    }

    /// <summary>The customer id of a signed-in victim, or null for anyone else.</summary>
    public static long? CustomerId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Role) && long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
    }
}
