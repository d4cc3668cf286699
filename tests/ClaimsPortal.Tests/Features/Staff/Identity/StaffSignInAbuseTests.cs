using System.Net;
using ClaimsOffice.Database.Staff;
using ClaimsOffice.Portal.Features.Staff;
using ClaimsOffice.Portal.Features.Staff.Identity;
using ClaimsOffice.Portal.Tests.Features.Victim;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit.Databases;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Features.Staff.Identity;

/// <summary>
/// Attacks on staff sign-in over real HTTP: replaying a two-factor code that already signed in, and guessing one
/// account's password from many client addresses (one at a time, or all at once).
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class StaffSignInAbuseTests
{
    private const string TwoFactorForm = "form[data-testid=staff-two-factor-form]";
    private const string Mismatch = "do not match an active staff account";

    [DatabaseTheory]
    public async Task A_two_factor_code_that_signed_in_once_does_not_sign_in_again(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);
        var code = Totp.Code(admin.AuthenticatorKey!, DateTimeOffset.UtcNow);

        using var first = portal.CreateClient();
        var (page1, codePage1) = await StaffSignIn.PostPasswordAsync(first, admin.Email, admin.Password);
        var (signedIn, _) = await first.SubmitAsync(page1.RequestMessage!.RequestUri!.PathAndQuery, codePage1, TwoFactorForm, [KeyValuePair.Create("Code", code)]);
        Assert.Equal("/staff", signedIn.RequestMessage!.RequestUri!.AbsolutePath);

        // Someone who saw the code (and knows the password) tries it within its window, from another browser.
        using var second = portal.CreateClient();
        var (page2, codePage2) = await StaffSignIn.PostPasswordAsync(second, admin.Email, admin.Password);
        var (_, replayed) = await second.SubmitAsync(page2.RequestMessage!.RequestUri!.PathAndQuery, codePage2, TwoFactorForm, [KeyValuePair.Create("Code", code)]);
        Assert.Contains("or was used already", replayed.Body!.TextContent, StringComparison.Ordinal);
        await StaffSignInTests.AssertSignedOutAsync(second);
    }

    [DatabaseTheory]
    public async Task Guesses_at_one_account_from_many_addresses_are_limited_per_account(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var factory = new PortalFactory(db);
        await using var portal = WithClientAddresses(factory, b => b
            .UseSetting("Staff:SignInPostsPerMinute", "5")
            .UseSetting("Staff:SignInAttemptsPerAccountPerMinute", "3")
            .UseSetting("Staff:MaxFailedSignIns", "50"));
        var agent = await portal.CreateStaffAsync("agent@test.example", StaffRoles.Agent);
        var other = await portal.CreateStaffAsync("other@test.example", StaffRoles.Agent);

        for (var i = 1; i <= 3; i++)
        {
            using var attacker = FromAddress(portal, $"198.51.100.{i}");
            var (_, refused) = await StaffSignIn.PostPasswordAsync(attacker, agent.Email, "wrong-password-" + i);
            Assert.Contains(Mismatch, refused.Body!.TextContent, StringComparison.Ordinal);
        }

        // A fourth address, well under its own limit: this account has had its tries for the minute, even the right password waits.
        using var fourth = FromAddress(portal, "198.51.100.4");
        var (_, limited) = await StaffSignIn.PostPasswordAsync(fourth, agent.Email, agent.Password);
        Assert.Contains(StaffSignInThrottled.Message, limited.Body!.TextContent, StringComparison.Ordinal);
        await StaffSignInTests.AssertSignedOutAsync(fourth);

        // Other accounts are not held up by it.
        using var colleague = FromAddress(portal, "198.51.100.4");
        var (landed, _) = await portal.SignInStaffAsync(colleague, other);
        Assert.Equal("/staff", landed.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [DatabaseTheory]
    public async Task Guesses_sent_all_at_once_get_no_more_wrong_tries_than_the_lockout_allows(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var factory = new PortalFactory(db);
        await using var portal = WithClientAddresses(factory, b => b
            .UseSetting("Staff:SignInAttemptsPerAccountPerMinute", "100")
            .UseSetting("Staff:MaxFailedSignIns", "3"));
        var agent = await portal.CreateStaffAsync("agent@test.example", StaffRoles.Agent);

        // Each attacker address opens the form first, then all post their guess at the same moment.
        var attackers = Enumerable.Range(1, 12).Select(i => FromAddress(portal, $"203.0.113.{i}")).ToList();
        var forms = await Task.WhenAll(attackers.Select(a => a.GetPageAsync("/staff/sign-in")));
        var answers = await Task.WhenAll(attackers.Select((a, i) => a.SubmitAsync("/staff/sign-in", forms[i], "form[data-testid=staff-sign-in-form]",
            [KeyValuePair.Create("Email", agent.Email), KeyValuePair.Create("Password", "wrong-password-" + i)])));
        attackers.ForEach(a => a.Dispose());

        // Lockout after 3 wrong tries: the first two are told "no", the third locks, and no guess is checked after that.
        var texts = answers.Select(a => a.Page.Body!.TextContent).ToList();
        Assert.Equal(2, texts.Count(t => t.Contains(Mismatch, StringComparison.Ordinal)));
        Assert.Equal(10, texts.Count(t => t.Contains("locked", StringComparison.Ordinal) || t.Contains(StaffSignInThrottled.Message, StringComparison.Ordinal)));
        using var owner = FromAddress(portal, "192.0.2.1");
        var (_, right) = await StaffSignIn.PostPasswordAsync(owner, agent.Email, agent.Password);
        Assert.Contains("locked", right.Body!.TextContent, StringComparison.Ordinal);
    }

    /// <summary>The test server has no client address; this one takes it from a header, so each client can be a different address.</summary>
    private static WebApplicationFactory<Program> WithClientAddresses(WebApplicationFactory<Program> factory, Action<IWebHostBuilder> configure) =>
        factory.WithWebHostBuilder(b =>
        {
            configure(b);
            b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
        });

    private static HttpClient FromAddress(WebApplicationFactory<Program> portal, string address)
    {
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Add(ClientAddressFromHeader.Header, address);
        return client;
    }

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public const string Header = "X-Test-Client-Address";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (IPAddress.TryParse(http.Request.Headers[Header].ToString(), out var address))
                {
                    http.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(http);
            });
            next(app);
        };
    }
}
