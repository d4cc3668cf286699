using System.Net;
using AngleSharp.Html.Dom;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Database.Staff;
using ClaimsOffice.Portal.Features.Staff;
using ClaimsOffice.Portal.Features.Staff.Identity;
using ClaimsOffice.TestKit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Support;

/// <summary>A staff account made for a test, with the authenticator key when it has two-factor.</summary>
public sealed record TestStaff(StaffUser User, string Password, string? AuthenticatorKey)
{
    public string Email => User.Email;
}

/// <summary>
/// Staff accounts and sign-in for portal tests, over real HTTP and the real sign-in pages:
/// <c>var agent = await portal.CreateStaffAsync("agent@test.example", StaffRoles.Agent);</c> then
/// <c>await portal.SignInStaffAsync(client, agent);</c> (passes two-factor with a code computed from the key).
/// </summary>
public static class StaffSignIn
{
    public const string DefaultPassword = "Correct-Horse-42";

    /// <summary>Creates an enabled staff account through Identity. Finance and Admin get two-factor unless told otherwise.</summary>
    public static async Task<TestStaff> CreateStaffAsync(this WebApplicationFactory<Program> portal, string email, string role,
        bool? twoFactor = null, long approvalLimit = 0, string displayName = "Test Staff", params string[] moreRoles)
    {
        ArgumentNullException.ThrowIfNull(portal);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = new StaffUser { UserName = email, Email = email, DisplayName = displayName, ApprovalLimit = approvalLimit, CreatedAt = DateTimeOffset.UtcNow };
        Succeeded(await users.CreateAsync(user, DefaultPassword));
        Succeeded(await users.AddToRolesAsync(user, [role, .. moreRoles]));
        string? key = null;
        if (twoFactor ?? role is StaffRoles.Finance or StaffRoles.Admin)
        {
            Succeeded(await users.ResetAuthenticatorKeyAsync(user));
            key = await users.GetAuthenticatorKeyAsync(user);
            Succeeded(await users.SetTwoFactorEnabledAsync(user, true));
        }
        return new TestStaff((await users.FindByIdAsync(user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))!, DefaultPassword, key);
    }

    /// <summary>Signs in on /staff/sign-in (and its two-factor step) and returns the page the browser lands on.</summary>
    public static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> SignInStaffAsync(this WebApplicationFactory<Program> portal, HttpClient client, TestStaff staff, string? returnUrl = null)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var (response, page) = await PostPasswordAsync(client, staff.Email, staff.Password, returnUrl);
        if (page.QuerySelector("form[data-testid=staff-two-factor-form]") is not null)
        {
            Assert.NotNull(staff.AuthenticatorKey);
            (response, page) = await client.SubmitAsync(response.RequestMessage!.RequestUri!.PathAndQuery, page,
                "form[data-testid=staff-two-factor-form]", [KeyValuePair.Create("Code", Totp.Code(staff.AuthenticatorKey!, DateTimeOffset.UtcNow))]);
        }
        return (response, page);
    }

    /// <summary>Signs in a staff member by e-mail: the account must have been made with <see cref="CreateStaffAsync"/>'s password.</summary>
    public static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> SignInStaffAsync(this WebApplicationFactory<Program> portal, HttpClient client, string email)
    {
        ArgumentNullException.ThrowIfNull(portal);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No staff account {email}.");
        return await portal.SignInStaffAsync(client, new TestStaff(user, DefaultPassword, await users.GetAuthenticatorKeyAsync(user)));
    }

    /// <summary>Only the password step: what a person types on /staff/sign-in.</summary>
    public static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> PostPasswordAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var url = returnUrl is null ? "/staff/sign-in" : $"/staff/sign-in?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        var signIn = await client.GetPageAsync(url);
        return await client.SubmitAsync(url, signIn, "form[data-testid=staff-sign-in-form]",
            [KeyValuePair.Create("Email", email), KeyValuePair.Create("Password", password)]);
    }

    /// <summary>Signs a customer in on /me/sign-in with the code from the development inbox: a victim's session.</summary>
    public static async Task SignInVictimAsync(this WebApplicationFactory<Program> portal, HttpClient client, Customer customer)
    {
        ArgumentNullException.ThrowIfNull(portal);
        ArgumentNullException.ThrowIfNull(customer);
        var signIn = await client.GetPageAsync("/me/sign-in");
        var (_, codePage) = await client.SubmitAsync("/me/sign-in", signIn, "form[data-testid=request-code-form]", [KeyValuePair.Create("Contact", customer.Phone)]);
        var mailbox = portal.Services.GetRequiredService<DevMailboxRepository>();
        string? body = null;
        await WaitFor.UntilAsync(async () =>
        {
            body = (await mailbox.ListRecentAsync(20, CancellationToken.None)).FirstOrDefault(m => m.Channel == NotificationChannels.Sms && m.Recipient == customer.Phone)?.Body;
            return body is not null;
        }, TimeSpan.FromSeconds(20), "the victim's sign-in code");
        var (signedIn, _) = await client.SubmitAsync("/me/sign-in", codePage, "form[data-testid=verify-code-form]", [KeyValuePair.Create("Code", HtmlForms.SixDigitCode(body!))]);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("/me", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
    }

    private static void Succeeded(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
}
