using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Review;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Review;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Features.Victim;

/// <summary>An agent asks; the victim sees the question on the claim page and answers there; the claim goes back to review.</summary>
[Collection(PortalCollection.Name)]
public sealed class AnswerQuestionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [DatabaseTheory]
    public async Task The_victim_sees_the_question_an_empty_answer_is_refused_and_an_answer_puts_the_claim_back_in_review(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await Scenarios.OwnPaymentDisputerAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = new PortalFactory(db);
        var agent = await new StaffMemberBuilder().Named("Aiko Agent").Agent().WithLimit(1_000_000).InsertAsync(db.Connections);
        var claim = await new ClaimInReviewBuilder().ForCustomer(victim.Customer.Id).Disputing(5_000).InsertAsync(db.Connections);
        var review = portal.Services.GetRequiredService<ReviewService>();
        Assert.True((await review.TakeAsync(claim.Id, 0, agent, None)).Succeeded);
        Assert.True((await review.AskInformationAsync(claim.Id, 1, agent, "Did you give anyone the code we texted you?", None)).Succeeded);
        using var client = portal.CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler());
        await portal.SignInVictimAsync(client, victim.Customer);
        var url = $"/me/claims/{claim.ClaimNumber}";

        var page = await client.GetPageAsync(url);
        Assert.Equal("Did you give anyone the code we texted you?", page.QuerySelector("[data-testid=question-text]")!.TextContent.Trim());
        Assert.Equal("We need your answer", page.QuerySelector(".claim-status-badge")!.TextContent.Trim());

        var (_, refused) = await client.SubmitAsync(url, page, "form[data-testid=answer-form]", [KeyValuePair.Create("Answer", "   ")]);
        Assert.Contains("Please write your answer", refused.QuerySelector("[data-testid=answer-error]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(ReviewStatus.AwaitingInformation, (await Claims(portal).GetAsync(claim.Id, None))!.Status);

        var (_, tooLong) = await client.SubmitAsync(url, refused, "form[data-testid=answer-form]", [KeyValuePair.Create("Answer", new string('x', ReviewService.MaxTextLength + 1))]);
        Assert.Contains($"under {ReviewService.MaxTextLength} characters", tooLong.QuerySelector("[data-testid=answer-error]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(ReviewStatus.AwaitingInformation, (await Claims(portal).GetAsync(claim.Id, None))!.Status);

        var (_, answered) = await client.SubmitAsync(url, tooLong, "form[data-testid=answer-form]", [KeyValuePair.Create("Answer", "No, nobody. I was asleep.")]);
        Assert.NotNull(answered.QuerySelector("[data-testid=answer-sent]"));
        Assert.Null(answered.QuerySelector("[data-testid=answer-form]"));
        Assert.Equal(ClaimStatus.InReview, (await Claims(portal).GetAsync(claim.Id, None))!.Status);
        var question = Assert.Single(await portal.Services.GetRequiredService<ClaimReviewRepository>().ListQuestionsAsync(claim.Id, None));
        Assert.Equal("No, nobody. I was asleep.", question.Answer);
    }

    [DatabaseTheory]
    public async Task Another_customer_cannot_answer_for_the_claim(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var owner = await Scenarios.OwnPaymentDisputerAsync(db.Connections, DateTimeOffset.UtcNow);
        var snooper = await Scenarios.OwnPaymentDisputerAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = new PortalFactory(db);
        var agent = await new StaffMemberBuilder().Agent().WithLimit(1_000_000).InsertAsync(db.Connections);
        var claim = await new ClaimInReviewBuilder().ForCustomer(owner.Customer.Id).Disputing(5_000).InsertAsync(db.Connections);
        var own = await new ClaimInReviewBuilder().ForCustomer(snooper.Customer.Id).Disputing(4_000).InsertAsync(db.Connections);
        var review = portal.Services.GetRequiredService<ReviewService>();
        foreach (var c in new[] { claim, own })
        {
            Assert.True((await review.TakeAsync(c.Id, 0, agent, None)).Succeeded);
            Assert.True((await review.AskInformationAsync(c.Id, 1, agent, "Where were you?", None)).Succeeded);
        }
        using var client = portal.CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler());
        await portal.SignInVictimAsync(client, snooper.Customer);
        // A valid form from the snooper's own claim, sent to the owner's claim.
        var page = await client.GetPageAsync($"/me/claims/{own.ClaimNumber}");
        var form = page.QuerySelector("form[data-testid=answer-form]")!;
        form.SetAttribute("action", $"/me/claims/{claim.ClaimNumber}/answer");

        var (response, _) = await client.SubmitAsync("/", page, "form[data-testid=answer-form]", [KeyValuePair.Create("Answer", "Not mine, but here goes.")]);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(ReviewStatus.AwaitingInformation, (await Claims(portal).GetAsync(claim.Id, None))!.Status);
    }

    private static ClaimRepository Claims(PortalFactory portal) => portal.Services.GetRequiredService<ClaimRepository>();
}
