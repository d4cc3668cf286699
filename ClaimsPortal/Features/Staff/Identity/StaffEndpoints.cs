using ClaimsOffice.Database.Staff;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using ClaimsOffice.Portal.Features.Staff.Fund;

namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>The staff's plain HTTP endpoints: sign-out (a POST, so a link cannot sign anyone out).</summary>
public static class StaffEndpoints
{
    public static IEndpointRouteBuilder MapStaffEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/staff/sign-out", SignOutAsync);
        app.MapFundEndpoints();
        return app;
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery, SignInManager<StaffUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.BadRequest("The sign-out form expired. Reload the page and try again.");
        }
        await signIn.SignOutAsync();
        return Results.Redirect(StaffIdentityExtensions.SignInPath + "?signedOut=1");
    }

    /// <summary>Only staff addresses on this site: an open redirect would let a phishing link borrow the sign-in page.</summary>
    public static string SafeReturnUrl(string? url) =>
        url is { Length: > 1 } && url.StartsWith("/staff", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\', StringComparison.Ordinal) && !url.StartsWith("/staff/sign-in", StringComparison.Ordinal)
            ? url
            : "/staff";
}
