using System.Net;
using AngleSharp.Html.Dom;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Features.Victim;

/// <summary>The victim's journey over real HTTP: sign in with a code, file a claim, see it paid or in review.</summary>
[Collection(PortalCollection.Name)]
public sealed class VictimJourneyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [DatabaseTheory]
    public async Task Stuffing_victim_signs_in_files_a_claim_and_sees_it_reimbursed(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = new PortalFactory(db);
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });

        await SignInAsync(portal, client, victim.Customer);

        var account = await client.GetPageAsync("/me");
        Assert.Contains(victim.Disputed[0].Reference, account.Body!.InnerHtml, StringComparison.Ordinal);
        var (filed, statusPage) = await client.SubmitAsync("/me", account, "form[data-testid=claim-form]",
            [.. victim.DisputedReferences.Select(r => KeyValuePair.Create("tx", r)), KeyValuePair.Create("Description", "Someone signed in from a new phone and bought gift cards.")]);

        Assert.Equal(HttpStatusCode.OK, filed.StatusCode);
        var claimUrl = filed.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.Matches(@"^/me/claims/CLM-\d{4}-\d{6}$", claimUrl);
        Assert.NotNull(statusPage.QuerySelector("[data-testid=claim-status]"));

        // Without a live connection (no WebSocket here), a plain reload of the server-rendered page shows the outcome.
        var outcome = await OutcomeOnReloadAsync(client, claimUrl, "Reimbursed");
        Assert.Contains($"Reimbursed ¥{victim.DisputedTotal.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} to your wallet", outcome, StringComparison.Ordinal);
        Assert.Contains("Time from report to money", outcome, StringComparison.Ordinal);
    }

    [DatabaseTheory]
    public async Task Own_payment_dispute_shows_in_review_with_a_due_date(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await Scenarios.OwnPaymentDisputerAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = new PortalFactory(db);
        using var client = portal.CreateClient();
        await SignInAsync(portal, client, victim.Customer, byEmail: true);

        var account = await client.GetPageAsync("/me");
        var (filed, _) = await client.SubmitAsync("/me", account, "form[data-testid=claim-form]",
            [KeyValuePair.Create("tx", victim.DisputedReferences[0]), KeyValuePair.Create("Description", "I do not remember this payment.")]);
        var claimUrl = filed.RequestMessage!.RequestUri!.AbsolutePath;

        var outcome = await OutcomeOnReloadAsync(client, claimUrl, "In review");
        Assert.Contains("A decision is due by", outcome, StringComparison.Ordinal);
        Assert.DoesNotContain("Reimbursed", outcome, StringComparison.Ordinal);
    }

    [DatabaseTheory]
    public async Task Bad_claim_input_shows_a_message_and_files_nothing(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, DateTimeOffset.UtcNow);
        var stranger = await Scenarios.CredentialStuffingVictimAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = new PortalFactory(db);
        using var client = portal.CreateClient();
        await SignInAsync(portal, client, victim.Customer);

        var account = await client.GetPageAsync("/me");
        var (noDescription, page1) = await client.SubmitAsync("/me", account, "form[data-testid=claim-form]",
            [KeyValuePair.Create("tx", victim.DisputedReferences[0]), KeyValuePair.Create("Description", "  ")]);
        Assert.Contains("Tell us briefly what happened", page1.QuerySelector("[data-testid=error-summary]")!.TextContent, StringComparison.Ordinal);

        var (someoneElses, page2) = await client.SubmitAsync("/me", account, "form[data-testid=claim-form]",
            [KeyValuePair.Create("tx", stranger.DisputedReferences[0]), KeyValuePair.Create("Description", "Not me")]);
        Assert.Contains("is not one of your transactions", page2.QuerySelector("[data-testid=error-summary]")!.TextContent, StringComparison.Ordinal);

        Assert.Equal("/me", noDescription.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("/me", someoneElses.RequestMessage!.RequestUri!.AbsolutePath);
        var claims = portal.Services.GetRequiredService<ClaimRepository>();
        Assert.Empty(await claims.ListForCustomerAsync(victim.Customer.Id, CancellationToken.None));
        Assert.Empty(await claims.ListForCustomerAsync(stranger.Customer.Id, CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task Only_the_owner_can_open_a_claim(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var owner = await Scenarios.OwnPaymentDisputerAsync(db.Connections, DateTimeOffset.UtcNow);
        var snooper = await Scenarios.OwnPaymentDisputerAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = new PortalFactory(db);
        using var ownerClient = portal.CreateClient();
        await SignInAsync(portal, ownerClient, owner.Customer);
        var account = await ownerClient.GetPageAsync("/me");
        var (filed, _) = await ownerClient.SubmitAsync("/me", account, "form[data-testid=claim-form]",
            [KeyValuePair.Create("tx", owner.DisputedReferences[0]), KeyValuePair.Create("Description", "Not me")]);
        var claimUrl = filed.RequestMessage!.RequestUri!.AbsolutePath;
        var claimNumber = claimUrl["/me/claims/".Length..];

        // The owner opens it: their claim, its number and the payment in it.
        var ownerView = await ownerClient.GetAsync(new Uri(claimUrl, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ownerView.StatusCode);
        var ownerPage = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await ownerView.Content.ReadAsStringAsync());
        Assert.Contains(claimNumber, ownerPage.QuerySelector("[data-testid=claim-status]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(owner.DisputedReferences[0], ownerPage.QuerySelector("[data-testid=evidence-list]")!.TextContent, StringComparison.Ordinal);

        // Another victim gets "not found", the same as for a number that does not exist, and nothing of the claim.
        using var snooperClient = portal.CreateClient();
        await SignInAsync(portal, snooperClient, snooper.Customer);
        var snooped = await snooperClient.GetAsync(new Uri(claimUrl, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, snooped.StatusCode);
        var snoopedBody = await snooped.Content.ReadAsStringAsync();
        Assert.DoesNotContain(owner.DisputedReferences[0], snoopedBody, StringComparison.Ordinal);
        Assert.DoesNotContain(claimNumber, snoopedBody, StringComparison.Ordinal);
        var missing = await snooperClient.GetAsync(new Uri("/me/claims/CLM-2099-999999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(TextOf(await missing.Content.ReadAsStringAsync()).Replace(snooper.Customer.FullName, "", StringComparison.Ordinal),
            TextOf(snoopedBody).Replace(snooper.Customer.FullName, "", StringComparison.Ordinal));

        using var anonymous = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var redirect = await anonymous.GetAsync(new Uri(claimUrl, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/me/sign-in", redirect.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [DatabaseTheory]
    public async Task A_claim_posted_without_the_antiforgery_token_is_refused_and_files_nothing(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = new PortalFactory(db);
        using var client = portal.CreateClient();
        await SignInAsync(portal, client, victim.Customer);
        var account = await client.GetPageAsync("/me");
        Assert.NotNull(account.QuerySelector("form[data-testid=claim-form] input[name=__RequestVerificationToken]"));

        // What a forged cross-site form would send: the victim's cookie, the right fields, no token.
        using var forged = new FormUrlEncodedContent(
        [
            KeyValuePair.Create("_handler", "file-claim"),
            .. victim.DisputedReferences.Select(r => KeyValuePair.Create("tx", r)),
            KeyValuePair.Create("Description", "Filed by another site"),
        ]);
        var response = await client.PostAsync(new Uri("/me", UriKind.Relative), forged);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await portal.Services.GetRequiredService<ClaimRepository>().ListForCustomerAsync(victim.Customer.Id, CancellationToken.None));
        // The same form with its token goes through: the refusal was the missing token, nothing else.
        var (filed, _) = await client.SubmitAsync("/me", account, "form[data-testid=claim-form]",
            [.. victim.DisputedReferences.Select(r => KeyValuePair.Create("tx", r)), KeyValuePair.Create("Description", "Not me")]);
        Assert.Matches(@"^/me/claims/CLM-\d{4}-\d{6}$", filed.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [DatabaseTheory]
    public async Task Sign_in_and_sign_out_posted_without_the_antiforgery_token_are_refused(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await Scenarios.OwnPaymentDisputerAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = new PortalFactory(db);
        using var client = portal.CreateClient();

        using var requestCode = new FormUrlEncodedContent([KeyValuePair.Create("_handler", "request-code"), KeyValuePair.Create("Contact", victim.Customer.Phone)]);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(new Uri("/me/sign-in", UriKind.Relative), requestCode)).StatusCode);
        var mailbox = portal.Services.GetRequiredService<DevMailboxRepository>();

        await SignInAsync(portal, client, victim.Customer);
        // Exactly one code was sent: the one the real form asked for; the forged request sent none.
        Assert.Single(await mailbox.ListRecentAsync(20, CancellationToken.None), m => m.Recipient == victim.Customer.Phone);

        using var signOut = new FormUrlEncodedContent([KeyValuePair.Create("x", "y")]);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(new Uri("/me/sign-out", UriKind.Relative), signOut)).StatusCode);
        // Still signed in.
        Assert.Equal("/me", (await client.GetAsync(new Uri("/me", UriKind.Relative))).RequestMessage!.RequestUri!.AbsolutePath);
    }

    [DatabaseTheory]
    public async Task A_wrong_code_is_refused_and_the_right_one_signs_in(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await Scenarios.OwnPaymentDisputerAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = new PortalFactory(db);
        using var client = portal.CreateClient();

        var signIn = await client.GetPageAsync("/me/sign-in");
        var (_, codePage) = await client.SubmitAsync("/me/sign-in", signIn, "form[data-testid=request-code-form]", [KeyValuePair.Create("Contact", victim.Customer.Phone)]);
        var code = await ReadCodeAsync(portal, victim.Customer.Phone);
        var wrong = code == "000000" ? "111111" : "000000";
        var (_, refused) = await client.SubmitAsync("/me/sign-in", codePage, "form[data-testid=verify-code-form]", [KeyValuePair.Create("Code", wrong)]);
        Assert.Contains("That code is not right. 4 tries left.", refused.Body!.TextContent, StringComparison.Ordinal);
        // Still signed out: this client's own request for its account lands on the sign-in page.
        Assert.Equal("/me/sign-in", (await client.GetAsync(new Uri("/me", UriKind.Relative))).RequestMessage!.RequestUri!.AbsolutePath);

        var (signedIn, _) = await client.SubmitAsync("/me/sign-in", refused, "form[data-testid=verify-code-form]", [KeyValuePair.Create("Code", code)]);
        Assert.Equal("/me", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
    }

    /// <summary>Reloads the claim page until its outcome says <paramref name="expected"/>; returns the outcome's text.</summary>
    private static async Task<string> OutcomeOnReloadAsync(HttpClient client, string claimUrl, string expected)
    {
        var outcome = "";
        await WaitFor.UntilAsync(async () =>
        {
            var page = await client.GetPageAsync(claimUrl);
            outcome = page.QuerySelector("[data-testid=claim-outcome]")?.TextContent ?? "";
            return outcome.Contains(expected, StringComparison.Ordinal);
        }, Patience, $"the claim page to say '{expected}'");
        return outcome;
    }

    private static string TextOf(string html) => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).Body!.TextContent;

    private static async Task SignInAsync(PortalFactory portal, HttpClient client, Customer customer, bool byEmail = false)
    {
        var contact = byEmail ? customer.Email : customer.Phone;
        var signIn = await client.GetPageAsync("/me/sign-in");
        var (_, codePage) = await client.SubmitAsync("/me/sign-in", signIn, "form[data-testid=request-code-form]", [KeyValuePair.Create("Contact", contact)]);
        Assert.NotNull(codePage.QuerySelector("form[data-testid=verify-code-form]"));
        var code = await ReadCodeAsync(portal, customer.Phone);
        var (response, _) = await client.SubmitAsync("/me/sign-in", codePage, "form[data-testid=verify-code-form]", [KeyValuePair.Create("Code", code)]);
        Assert.Equal("/me", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    /// <summary>The code travels the production path: outbox, dispatcher job, development inbox, always by SMS to the customer's phone.</summary>
    private static async Task<string> ReadCodeAsync(PortalFactory portal, string phone)
    {
        var mailbox = portal.Services.GetRequiredService<DevMailboxRepository>();
        DevMailboxMessage? message = null;
        await WaitFor.UntilAsync(async () =>
        {
            var all = await mailbox.ListRecentAsync(20, CancellationToken.None);
            message = all.FirstOrDefault(m => m.Channel == NotificationChannels.Sms && m.Recipient == phone);
            return message is not null;
        }, Patience, "the sign-in code in the development inbox");
        return HtmlForms.SixDigitCode(message!.Body);
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection
{
    public const string Name = "portal";
}
