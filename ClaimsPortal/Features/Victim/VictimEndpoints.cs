using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace ClaimsOffice.Portal.Features.Victim;

/// <summary>The victim's plain HTTP endpoints: sign-out (a POST with the antiforgery token, so a link cannot sign anyone out).</summary>
public static class VictimEndpoints
{
    public static IEndpointRouteBuilder MapVictimEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/me/sign-out", SignOutAsync);
        app.MapAnswerQuestion();
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
}
