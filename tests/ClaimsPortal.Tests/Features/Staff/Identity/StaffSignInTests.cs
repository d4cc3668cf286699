using System.Net;
using ClaimsOffice.Database.Staff;
using ClaimsOffice.Portal.Features.Staff;
using ClaimsOffice.Portal.Features.Staff.Identity;
using ClaimsOffice.Portal.Tests.Features.Victim;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Databases;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Features.Staff.Identity;

/// <summary>Staff sign-in over real HTTP: password, lockout, two-factor with a real TOTP code, disabled accounts, idle expiry.</summary>
[Collection(PortalCollection.Name)]
public sealed class StaffSignInTests
{
    private const string EnrolPage = "/staff/two-factor/enrol";

    [DatabaseTheory]
    public async Task An_agent_signs_in_with_a_password_and_reaches_staff_pages(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var agent = await portal.CreateStaffAsync("agent@test.example", StaffRoles.Agent);
        using var client = portal.CreateClient();

        await portal.SignInStaffAsync(client, agent);

        var page = await client.GetPageAsync(EnrolPage);
        Assert.NotNull(page.QuerySelector("form[data-testid=staff-enrol-form]"));
    }

    [DatabaseTheory]
    public async Task Wrong_passwords_lock_the_account_and_then_even_the_right_one_is_refused(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var agent = await portal.CreateStaffAsync("agent@test.example", StaffRoles.Agent);
        using var client = portal.CreateClient();

        for (var i = 0; i < 4; i++)
        {
            var (_, refused) = await StaffSignIn.PostPasswordAsync(client, agent.Email, "wrong-password-" + i);
            Assert.Contains("do not match an active staff account", refused.Body!.TextContent, StringComparison.Ordinal);
        }
        var (_, fifth) = await StaffSignIn.PostPasswordAsync(client, agent.Email, "wrong-password-5");
        Assert.Contains("locked", fifth.Body!.TextContent, StringComparison.Ordinal);

        var (_, right) = await StaffSignIn.PostPasswordAsync(client, agent.Email, agent.Password);
        Assert.Contains("locked", right.Body!.TextContent, StringComparison.Ordinal);
        await AssertSignedOutAsync(client);
        var stored = await portal.Services.GetRequiredService<StaffUserRepository>().FindByIdAsync(agent.User.Id, CancellationToken.None);
        Assert.True(stored!.LockoutEnd > DateTimeOffset.UtcNow.AddMinutes(14), "locked for the configured 15 minutes");
    }

    [DatabaseTheory]
    public async Task Two_factor_sign_in_takes_the_current_authenticator_code_and_refuses_a_wrong_one(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);
        using var client = portal.CreateClient();

        var (afterPassword, codePage) = await StaffSignIn.PostPasswordAsync(client, admin.Email, admin.Password);
        Assert.True("/staff/sign-in/two-factor" == afterPassword.RequestMessage!.RequestUri!.AbsolutePath, codePage.Body!.TextContent);
        await AssertSignedOutAsync(client);

        var right = Totp.Code(admin.AuthenticatorKey!, DateTimeOffset.UtcNow);
        var wrong = right == "123456" ? "654321" : "123456";
        var (_, refused) = await client.SubmitAsync("/staff/sign-in/two-factor", codePage, "form[data-testid=staff-two-factor-form]", [KeyValuePair.Create("Code", wrong)]);
        Assert.Contains("That code is not right", refused.Body!.TextContent, StringComparison.Ordinal);
        await AssertSignedOutAsync(client);

        var (signedIn, _) = await client.SubmitAsync("/staff/sign-in/two-factor", refused, "form[data-testid=staff-two-factor-form]",
            [KeyValuePair.Create("Code", Totp.Code(admin.AuthenticatorKey!, DateTimeOffset.UtcNow))]);
        Assert.NotEqual("/staff/sign-in/two-factor", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        var enrol = await client.GetPageAsync(EnrolPage);
        Assert.Contains("already on", enrol.Body!.TextContent, StringComparison.Ordinal);
    }

    [DatabaseTheory]
    public async Task A_recovery_code_signs_in_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);
        string recovery;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            recovery = (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByEmailAsync(admin.Email))!, 3))!.First();
        }

        using var first = portal.CreateClient();
        var (page1, codePage1) = await StaffSignIn.PostPasswordAsync(first, admin.Email, admin.Password);
        var (used, _) = await first.SubmitAsync(page1.RequestMessage!.RequestUri!.PathAndQuery, codePage1, "form[data-testid=staff-recovery-form]", [KeyValuePair.Create("RecoveryCode", recovery)]);
        Assert.NotEqual("/staff/sign-in/two-factor", used.RequestMessage!.RequestUri!.AbsolutePath);

        using var second = portal.CreateClient();
        var (page2, codePage2) = await StaffSignIn.PostPasswordAsync(second, admin.Email, admin.Password);
        var (_, again) = await second.SubmitAsync(page2.RequestMessage!.RequestUri!.PathAndQuery, codePage2, "form[data-testid=staff-recovery-form]", [KeyValuePair.Create("RecoveryCode", recovery)]);
        Assert.Contains("not valid, or was used already", again.Body!.TextContent, StringComparison.Ordinal);
        await AssertSignedOutAsync(second);
    }

    [DatabaseTheory]
    public async Task An_admin_without_two_factor_enrols_with_the_key_shown_and_gets_recovery_codes(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var admin = await portal.CreateStaffAsync("new-admin@test.example", StaffRoles.Admin, twoFactor: false);
        using var client = portal.CreateClient();

        var (landed, enrolPage) = await portal.SignInStaffAsync(client, admin);
        Assert.Equal(EnrolPage, landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.StartsWith("data:image/png;base64,", enrolPage.QuerySelector("img[data-testid=enrol-qr]")!.GetAttribute("src"), StringComparison.Ordinal);
        var key = enrolPage.QuerySelector("[data-testid=enrol-key]")!.TextContent;

        var (_, done) = await client.SubmitAsync(landed.RequestMessage.RequestUri.PathAndQuery, enrolPage, "form[data-testid=staff-enrol-form]",
            [KeyValuePair.Create("Code", Totp.Code(key, DateTimeOffset.UtcNow))]);
        Assert.NotNull(done.QuerySelector("[data-testid=enrol-done]"));
        Assert.Equal(StaffTwoFactor.RecoveryCodeCount, done.QuerySelectorAll("[data-testid=recovery-codes] li").Length);

        var reloaded = await client.GetPageAsync(EnrolPage);
        Assert.Contains("already on", reloaded.Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(reloaded.QuerySelectorAll("[data-testid=recovery-codes] li"));
    }

    [DatabaseTheory]
    public async Task A_disabled_account_cannot_sign_in_and_its_open_session_ends(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var factory = new PortalFactory(db);
        await using var portal = factory.WithWebHostBuilder(b => b.UseSetting("Staff:SessionCheckInterval", "00:00:00"));
        var agent = await portal.CreateStaffAsync("agent@test.example", StaffRoles.Agent);
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);
        using var session = portal.CreateClient();
        await portal.SignInStaffAsync(session, agent);
        await session.GetPageAsync(EnrolPage);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<Portal.Features.Staff.Admin.StaffAdminService>()
                .DisableAsync(admin.User.Id, agent.User.Id, CancellationToken.None);
            Assert.True(result.Succeeded, result.Message);
        }

        await AssertSignedOutAsync(session);
        using var fresh = portal.CreateClient();
        var (_, refused) = await StaffSignIn.PostPasswordAsync(fresh, agent.Email, agent.Password);
        Assert.Contains("do not match an active staff account", refused.Body!.TextContent, StringComparison.Ordinal);
        await AssertSignedOutAsync(fresh);
    }

    [DatabaseTheory]
    public async Task A_staff_session_ends_after_the_idle_timeout_but_not_while_in_use(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock(DateTimeOffset.UtcNow);
        await using var factory = new PortalFactory(db);
        await using var portal = factory.WithWebHostBuilder(b => b
            .UseSetting("Staff:IdleTimeout", "00:30:00")
            .ConfigureTestServices(s => s.PostConfigure<CookieAuthenticationOptions>(StaffPolicies.Scheme, o => o.TimeProvider = clock)));
        var agent = await portal.CreateStaffAsync("agent@test.example", StaffRoles.Agent);
        using var client = portal.CreateClient();
        await portal.SignInStaffAsync(client, agent);

        // In use: each request within the half-hour slides the expiry along.
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(20));
            await client.GetPageAsync(EnrolPage);
        }

        clock.Advance(TimeSpan.FromMinutes(31));
        await AssertSignedOutAsync(client);
    }

    /// <summary>A staff page answers with the staff sign-in, not the page.</summary>
    internal static async Task AssertSignedOutAsync(HttpClient client)
    {
        var response = await client.GetAsync(new Uri(EnrolPage, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(StaffIdentityExtensions.SignInPath, response.RequestMessage!.RequestUri!.AbsolutePath);
    }
}
