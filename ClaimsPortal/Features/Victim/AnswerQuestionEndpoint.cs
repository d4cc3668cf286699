using ClaimsOffice.Worker.Review;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;

namespace ClaimsOffice.Portal.Features.Victim;

/// <summary>
/// <c>POST /me/claims/{number}/answer</c>: the victim answers the agent's open question; the claim goes back to
/// the review queue. Refusals come back to the claim page as a short code the page turns into words, so no text
/// from the address is ever shown.
/// </summary>
public static class AnswerQuestionEndpoint
{
    public const string Sent = "sent";
    public const string Empty = "empty";
    public const string TooLong = "too-long";
    public const string Closed = "closed";
    public const string Expired = "expired";

    public static IEndpointRouteBuilder MapAnswerQuestion(this IEndpointRouteBuilder app)
    {
        app.MapPost("/me/claims/{claimNumber}/answer", AnswerAsync)
            .RequireAuthorization(new AuthorizeAttribute { Roles = VictimIdentity.Role });
        return app;
    }

    /// <summary>The words the claim page shows for a code; null for an unknown code.</summary>
    public static string? Describe(string? code) => code switch
    {
        Empty => "Please write your answer before sending it.",
        TooLong => $"Please keep your answer under {ReviewService.MaxTextLength} characters.",
        Closed => "This question is no longer open: your claim may already be back with our team.",
        Expired => "The form expired. Please write your answer again and send it.",
        _ => null,
    };

    private static async Task<IResult> AnswerAsync(string claimNumber, HttpContext http, IAntiforgery antiforgery, ReviewService review, CancellationToken ct)
    {
        var back = $"/me/claims/{Uri.EscapeDataString(claimNumber)}?answer=";
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Redirect(back + Expired);
        }
        if (http.User.CustomerId() is not { } customerId)
        {
            return Results.Forbid();
        }
        var answer = (await http.Request.ReadFormAsync(ct))["Answer"].ToString().Trim();
        if (answer.Length == 0)
        {
            return Results.Redirect(back + Empty);
        }
        if (answer.Length > ReviewService.MaxTextLength)
        {
            return Results.Redirect(back + TooLong);
        }
        var outcome = await review.AnswerQuestionAsync(customerId, claimNumber, answer, ct);
        return outcome.Kind switch
        {
            _ when outcome.Succeeded => Results.Redirect(back + Sent),
            ReviewOutcomeKind.NotFound => Results.NotFound(),
            _ => Results.Redirect(back + Closed),
        };
    }
}
