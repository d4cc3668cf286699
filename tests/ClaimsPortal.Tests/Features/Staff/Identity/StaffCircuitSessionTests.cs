using ClaimsOffice.Database.Staff;
using ClaimsOffice.Portal.Features.Staff;
using ClaimsOffice.Portal.Features.Staff.Admin;
using ClaimsOffice.Portal.Features.Staff.Identity;
using ClaimsOffice.Portal.Tests.Features.Victim;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Databases;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Features.Staff.Identity;

/// <summary>
/// An interactive staff page (a Blazor circuit) makes no HTTP requests, so the cookie's idle expiry never reaches
/// it: the circuit's own authentication state must end after the idle timeout without input, and when the account
/// is disabled. Driven through the portal's registered services, as the circuit uses them.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class StaffCircuitSessionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [DatabaseTheory]
    public async Task An_open_staff_page_stays_signed_in_while_used_and_ends_after_the_idle_timeout(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock(DateTimeOffset.UtcNow);
        await using var portal = Configure(new PortalFactory(db), clock);
        var agent = await portal.CreateStaffAsync("agent@test.example", StaffRoles.Agent);
        await using var circuit = await OpenCircuitAsync(portal, agent);

        // In use: input every 20 minutes keeps it open across more than one idle timeout.
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(20));
            await circuit.InputAsync();
        }
        // Several re-checks (one a second here) pass without ending it.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.True(await circuit.SignedInAsync());

        clock.Advance(TimeSpan.FromMinutes(31));
        await WaitFor.UntilAsync(async () => !await circuit.SignedInAsync(), Patience, "the idle staff page to lose its session");
    }

    [DatabaseTheory]
    public async Task An_open_staff_page_ends_when_the_account_is_disabled(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = Configure(new PortalFactory(db), TimeProvider.System);
        var agent = await portal.CreateStaffAsync("agent@test.example", StaffRoles.Agent);
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);
        await using var circuit = await OpenCircuitAsync(portal, agent);
        Assert.True(await circuit.SignedInAsync());

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<StaffAdminService>().DisableAsync(admin.User.Id, agent.User.Id, CancellationToken.None);
            Assert.True(result.Succeeded, result.Message);
        }

        await WaitFor.UntilAsync(async () => !await circuit.SignedInAsync(), Patience, "the disabled agent's open page to lose its session");
    }

    private static WebApplicationFactory<Program> Configure(WebApplicationFactory<Program> factory, TimeProvider clock) =>
        factory.WithWebHostBuilder(b => b
            .UseSetting("Staff:IdleTimeout", "00:30:00")
            .UseSetting("Staff:SessionCheckInterval", "00:00:00")
            .ConfigureTestServices(s => s.PostConfigure<CookieAuthenticationOptions>(StaffPolicies.Scheme, o => o.TimeProvider = clock)));

    /// <summary>A circuit's services, as Blazor creates them for an open page: its scope, its activity handler, its state provider.</summary>
    private static async Task<Circuit> OpenCircuitAsync(WebApplicationFactory<Program> portal, TestStaff staff)
    {
        var scope = portal.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<StaffUser>>();
        var principal = await signIn.CreateUserPrincipalAsync(staff.User);
        var state = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        ((IHostEnvironmentAuthenticationStateProvider)state).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return new Circuit(scope, state, scope.ServiceProvider.GetRequiredService<StaffCircuitActivity>());
    }

    private sealed class Circuit(AsyncServiceScope scope, AuthenticationStateProvider state, StaffCircuitActivity activity) : IAsyncDisposable
    {
        private readonly Func<Microsoft.AspNetCore.Components.Server.Circuits.CircuitInboundActivityContext, Task> _inbound =
            activity.CreateInboundActivityHandler(_ => Task.CompletedTask);

        /// <summary>What a click on the page does to the circuit: one inbound activity.</summary>
        public Task InputAsync() => _inbound(null!);

        public async Task<bool> SignedInAsync() => (await state.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated == true;

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }
}
