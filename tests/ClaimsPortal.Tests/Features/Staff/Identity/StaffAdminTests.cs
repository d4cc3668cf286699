using System.Net;
using ClaimsOffice.Database.Staff;
using ClaimsOffice.Portal.Features.Staff;
using ClaimsOffice.Portal.Features.Staff.Admin;
using ClaimsOffice.Portal.Features.Staff.Identity;
using ClaimsOffice.Portal.Tests.Features.Victim;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Databases;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Features.Staff.Identity;

/// <summary>Admin actions on staff accounts over the real portal: invitations end to end, bad input, audit, sessions ended by role changes; the demo accounts.</summary>
[Collection(PortalCollection.Name)]
public sealed class StaffAdminTests
{
    [DatabaseTheory]
    public async Task An_invited_person_sets_a_password_from_the_link_and_signs_in_once_it_is_used(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);

        StaffAdminResult invited;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            invited = await scope.ServiceProvider.GetRequiredService<StaffAdminService>().InviteAsync(StaffAdminService.Actor(admin.User.Id),
                "kenji@test.example", "Kenji Mori", [StaffRoles.Agent], "300,000", "http://localhost/", CancellationToken.None);
        }
        Assert.True(invited.Succeeded, invited.Message);
        var link = new Uri(invited.Link!).PathAndQuery;
        Assert.StartsWith("/staff/set-password?email=kenji%40test.example&token=", link, StringComparison.Ordinal);
        Assert.Equal(1, await db.CountAsync("audit_log", "action = 'staff.invited' AND actor = @actor", new { actor = StaffAdminService.Actor(admin.User.Id) }));
        // The invitation also goes out by e-mail (the development inbox here).
        await WaitFor.UntilAsync(async () => await db.CountAsync("dev_mailbox", "recipient = 'kenji@test.example'") == 1, TimeSpan.FromSeconds(20), "the invitation e-mail");

        using var client = portal.CreateClient();
        var form = await client.GetPageAsync(link);
        var (_, mismatch) = await client.SubmitAsync(link, form, "form[data-testid=staff-set-password-form]",
            [KeyValuePair.Create("Password", "Kenji-Password-1"), KeyValuePair.Create("Confirm", "Kenji-Password-2")]);
        Assert.Contains("not the same", mismatch.Body!.TextContent, StringComparison.Ordinal);
        var (_, done) = await client.SubmitAsync(link, form, "form[data-testid=staff-set-password-form]",
            [KeyValuePair.Create("Password", "Kenji-Password-1"), KeyValuePair.Create("Confirm", "Kenji-Password-1")]);
        Assert.NotNull(done.QuerySelector("[data-testid=password-set]"));

        var (_, again) = await client.SubmitAsync(link, form, "form[data-testid=staff-set-password-form]",
            [KeyValuePair.Create("Password", "Stolen-Link-Pass-9"), KeyValuePair.Create("Confirm", "Stolen-Link-Pass-9")]);
        Assert.Contains("not valid any more", again.Body!.TextContent, StringComparison.Ordinal);

        var (signedIn, _) = await StaffSignIn.PostPasswordAsync(client, "kenji@test.example", "Kenji-Password-1");
        Assert.Equal("/staff", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        var stored = await portal.Services.GetRequiredService<StaffUserRepository>().FindByNormalizedEmailAsync("KENJI@TEST.EXAMPLE", CancellationToken.None);
        Assert.Equal(300_000, stored!.ApprovalLimit);
    }

    [DatabaseTheory]
    public async Task Bad_admin_input_is_refused_with_a_message_and_changes_nothing(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);
        var agent = await portal.CreateStaffAsync("agent@test.example", StaffRoles.Agent, approvalLimit: 100_000);
        await using var scope = portal.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<StaffAdminService>();
        var actor = StaffAdminService.Actor(admin.User.Id);
        var users = await db.CountAsync("staff_users");

        (StaffAdminResult Result, string Expected)[] refusals =
        [
            (await service.InviteAsync(actor, "not-an-address", "Someone", [StaffRoles.Agent], "0", "http://localhost/", CancellationToken.None), "valid e-mail address"),
            (await service.InviteAsync(actor, "x@test.example", " ", [StaffRoles.Agent], "0", "http://localhost/", CancellationToken.None), "person's name"),
            (await service.InviteAsync(actor, "x@test.example", "Someone", [], "0", "http://localhost/", CancellationToken.None), "at least one role"),
            (await service.InviteAsync(actor, "x@test.example", "Someone", ["Superuser"], "0", "http://localhost/", CancellationToken.None), "no role 'Superuser'"),
            (await service.InviteAsync(actor, "x@test.example", "Someone", [StaffRoles.Agent], "-5", "http://localhost/", CancellationToken.None), "cannot be negative"),
            (await service.InviteAsync(actor, "AGENT@test.example", "Someone", [StaffRoles.Agent], "0", "http://localhost/", CancellationToken.None), "already a staff account"),
            (await service.SetApprovalLimitAsync(admin.User.Id, agent.User.Id, "-1", CancellationToken.None), "cannot be negative"),
            (await service.SetApprovalLimitAsync(admin.User.Id, agent.User.Id, "lots", CancellationToken.None), "whole number of yen"),
            (await service.SetApprovalLimitAsync(admin.User.Id, agent.User.Id, "12.5", CancellationToken.None), "whole number of yen"),
            (await service.SetApprovalLimitAsync(admin.User.Id, agent.User.Id, "99999999999999999999", CancellationToken.None), "whole number of yen"),
            (await service.SetRolesAsync(admin.User.Id, admin.User.Id, [StaffRoles.Agent], CancellationToken.None), "your own Admin role"),
            (await service.DisableAsync(admin.User.Id, admin.User.Id, CancellationToken.None), "your own account"),
            (await service.DisableAsync(admin.User.Id, 987654, CancellationToken.None), "does not exist"),
        ];

        foreach (var (result, expected) in refusals)
        {
            Assert.False(result.Succeeded, expected);
            Assert.Contains(expected, result.Message, StringComparison.Ordinal);
        }
        Assert.Equal(users, await db.CountAsync("staff_users"));
        Assert.Equal(0, await db.CountAsync("audit_log", "entity_type = 'staff_user'"));
        var stored = await portal.Services.GetRequiredService<StaffUserRepository>().FindByIdAsync(agent.User.Id, CancellationToken.None);
        Assert.Equal(100_000, stored!.ApprovalLimit);
        Assert.Equal([StaffRoles.Admin], await portal.Services.GetRequiredService<StaffUserRepository>().GetRolesAsync(admin.User.Id, CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task Role_and_limit_changes_are_audited_and_a_role_change_ends_the_session(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var factory = new PortalFactory(db);
        await using var portal = factory.WithWebHostBuilder(b => b.UseSetting("Staff:SessionCheckInterval", "00:00:00"));
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);
        var agent = await portal.CreateStaffAsync("agent@test.example", StaffRoles.Agent);
        using var session = portal.CreateClient();
        await portal.SignInStaffAsync(session, agent);
        await session.GetPageAsync("/staff/two-factor/enrol");

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<StaffAdminService>();
            Assert.True((await service.SetApprovalLimitAsync(admin.User.Id, agent.User.Id, "¥1,500,000", CancellationToken.None)).Succeeded);
            Assert.True((await service.SetRolesAsync(admin.User.Id, agent.User.Id, [StaffRoles.Agent, StaffRoles.Finance], CancellationToken.None)).Succeeded);
        }

        var repository = portal.Services.GetRequiredService<StaffUserRepository>();
        Assert.Equal(1_500_000, (await repository.FindByIdAsync(agent.User.Id, CancellationToken.None))!.ApprovalLimit);
        Assert.Equal([StaffRoles.Agent, StaffRoles.Finance], await repository.GetRolesAsync(agent.User.Id, CancellationToken.None));
        Assert.Equal(2, await db.CountAsync("audit_log", "entity_type = 'staff_user' AND entity_id = @id AND actor = @actor",
            new { id = agent.User.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), actor = StaffAdminService.Actor(admin.User.Id) }));
        var response = await session.GetAsync(new Uri("/staff/two-factor/enrol", UriKind.Relative));
        Assert.Equal(StaffIdentityExtensions.SignInPath, response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [DatabaseTheory]
    public async Task The_admin_page_lists_staff_for_an_admin(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin, displayName: "Sora Kato");
        await portal.CreateStaffAsync("agent@test.example", StaffRoles.Agent, displayName: "Aiko Sasaki", approvalLimit: 300_000);
        using var client = portal.CreateClient();
        await portal.SignInStaffAsync(client, admin);

        var page = await client.GetPageAsync("/staff/admin/staff");

        var grid = page.QuerySelector("[data-testid=staff-grid]")!.TextContent;
        Assert.Contains("Aiko Sasaki", grid, StringComparison.Ordinal);
        Assert.Contains("agent@test.example", grid, StringComparison.Ordinal);
        Assert.Contains("¥300,000", grid, StringComparison.Ordinal);
        Assert.Contains("Sora Kato", page.QuerySelector("[data-testid=staff-signed-in]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Staff accounts", page.QuerySelector("[data-testid=staff-nav]")!.TextContent, StringComparison.Ordinal);
    }

    [DatabaseTheory]
    public async Task Demo_finance_signs_in_with_the_code_the_development_inbox_shows(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StaffDemoAccounts>().EnsureAsync(CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<StaffDemoAccounts>().EnsureAsync(CancellationToken.None);
        }
        Assert.Equal(StaffDemoAccounts.Accounts.Count, await db.CountAsync("staff_users"));
        using var client = portal.CreateClient();

        var (afterPassword, codePage) = await StaffSignIn.PostPasswordAsync(client, "finance@claims.example", StaffDemoAccounts.Password);
        Assert.Equal("/staff/sign-in/two-factor", afterPassword.RequestMessage!.RequestUri!.AbsolutePath);
        var inbox = await client.GetPageAsync("/dev/inbox");
        var code = inbox.QuerySelector("[data-testid=demo-staff-code][data-email='finance@claims.example']")!.TextContent;
        var (signedIn, _) = await client.SubmitAsync(afterPassword.RequestMessage.RequestUri.PathAndQuery, codePage,
            "form[data-testid=staff-two-factor-form]", [KeyValuePair.Create("Code", code)]);

        Assert.Equal("/staff", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        var enrol = await client.GetPageAsync("/staff/two-factor/enrol");
        Assert.Contains("already on", enrol.Body!.TextContent, StringComparison.Ordinal);
    }
}
