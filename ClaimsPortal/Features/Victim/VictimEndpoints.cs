using ClaimsOffice.Portal.Features.Victim;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClaimsOffice.Portal.Features.Victim;

/// <summary>The victim's plain HTTP endpoints: sign-out, and the claim-status fragment the claim page polls.</summary>
public static class VictimEndpoints
{
    public static IEndpointRouteBuilder MapVictimEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/me/sign-out", SignOutAsync);
        app.MapGet("/me/claims/{claimNumber}/status", StatusFragmentAsync)
            .RequireAuthorization(policy => policy.RequireRole(VictimIdentity.Role));
        return app;
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.BadRequest("The sign-out form expired. Reload the page and try again.");
        }
        await http.SignOutAsync();
        return Results.Redirect("/");
    }

    private static async Task<Results<RazorComponentResult<ClaimStatusCard>, NotFound>> StatusFragmentAsync(
        string claimNumber, HttpContext http, ClaimStatusQuery claims)
    {
        var customerId = http.User.CustomerId();
        var view = customerId is null ? null : await claims.GetAsync(customerId.Value, claimNumber, http.RequestAborted);
        if (view is null)
        {
            return TypedResults.NotFound();
        }
        http.Response.Headers.CacheControl = "no-store";
        return new RazorComponentResult<ClaimStatusCard>(new { View = view });
    }
}
