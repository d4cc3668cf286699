using System.Net;
using ClaimsOffice.Portal.Features.Staff;
using ClaimsOffice.Portal.Tests.Features.Victim;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Features.Staff.Identity;

/// <summary>
/// Who reaches which staff address, over real HTTP: anonymous people go to the staff sign-in, a victim's session
/// gets 403, each role opens its pages and gets 403 on the others, and Finance or Admin without two-factor are
/// sent to set it up. Pages built by other features join the matrix as soon as they are mapped, and every mapped
/// /staff page must carry a staff policy.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class StaffAuthorizationMatrixTests
{
    /// <summary>Each staff address and the policy the issue gives it.</summary>
    private static readonly (string Path, string Route, string Policy)[] Routes =
    [
        ("/staff", "staff", StaffPolicies.AnyStaff),
        ("/staff/queue", "staff/queue", StaffPolicies.Agent),
        ("/staff/claims/CLM-2026-000001", "staff/claims/{reference}", StaffPolicies.Agent),
        ("/staff/campaigns", "staff/campaigns", StaffPolicies.Agent),
        ("/staff/campaigns/1", "staff/campaigns/{id:long}", StaffPolicies.Agent),
        ("/staff/approvals", "staff/approvals", StaffPolicies.Finance),
        ("/staff/fund", "staff/fund", StaffPolicies.Finance),
        ("/staff/admin/staff", "staff/admin/staff", StaffPolicies.Admin),
        ("/staff/jobs", "staff/jobs", StaffPolicies.Admin),
    ];

    /// <summary>The staff addresses anyone may open: signing in needs no session.</summary>
    private static readonly string[] Public = ["staff/sign-in", "staff/sign-in/two-factor", "staff/set-password", "staff/sign-out"];

    [DatabaseTheory]
    public async Task Each_role_anonymous_and_a_victim_against_each_staff_address(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await Scenarios.OwnPaymentDisputerAsync(db.Connections, DateTimeOffset.UtcNow);
        await using var portal = new PortalFactory(db);
        var mapped = MappedRoutes(portal);
        Assert.True(IsMapped(mapped, "staff/admin/staff"));
        Assert.True(IsMapped(mapped, "staff/jobs"));
        Assert.True(IsMapped(mapped, "staff/campaigns/{id:long}"));

        var actors = new List<(string Name, HttpClient Client, string[] Roles, bool TwoFactor)>();
        actors.Add(("anonymous", portal.CreateDefaultClient(new CookieContainerHandler()), [], false));
        var victimCookies = new CookieContainer();
        using (var signingIn = portal.CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler(victimCookies)))
        {
            await portal.SignInVictimAsync(signingIn, victim.Customer);
        }
        actors.Add(("victim", portal.CreateDefaultClient(new CookieContainerHandler(victimCookies)), [], false));
        foreach (var (name, role, twoFactor) in new[]
        {
            ("agent", StaffRoles.Agent, false),
            ("finance", StaffRoles.Finance, true),
            ("finance without two-factor", StaffRoles.Finance, false),
            ("admin", StaffRoles.Admin, true),
            ("admin without two-factor", StaffRoles.Admin, false),
        })
        {
            var staff = await portal.CreateStaffAsync($"{name.Replace(' ', '-')}@test.example", role, twoFactor);
            // One cookie jar: sign in following redirects, then look at each answer as the server gives it.
            var cookies = new CookieContainer();
            using (var signingIn = portal.CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler(cookies)))
            {
                await portal.SignInStaffAsync(signingIn, staff);
            }
            actors.Add((name, portal.CreateDefaultClient(new CookieContainerHandler(cookies)), [role], twoFactor));
        }

        var failures = new List<string>();
        foreach (var (path, route, policy) in Routes.Where(r => IsMapped(mapped, r.Route)))
        {
            foreach (var (name, client, roles, twoFactor) in actors)
            {
                var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                var expected = Expected(policy, name, roles, twoFactor);
                var actual = Describe(response);
                if (!Matches(expected, actual, path))
                {
                    failures.Add($"{name,-28} {path,-32} expected {expected}, got {actual}");
                }
            }
        }
        foreach (var (_, client, _, _) in actors)
        {
            client.Dispose();
        }
        Assert.True(failures.Count == 0, "Authorization matrix:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task Every_mapped_staff_page_requires_a_staff_policy()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var portal = new PortalFactory(db);
        var staffPolicies = new[] { StaffPolicies.AnyStaff, StaffPolicies.Agent, StaffPolicies.Finance, StaffPolicies.Admin };
        var unguarded = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("staff", StringComparison.OrdinalIgnoreCase) == true)
            .Where(e => !Public.Contains(e.RoutePattern.RawText!.TrimStart('/'), StringComparer.OrdinalIgnoreCase))
            .Where(e => !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => staffPolicies.Contains(a.Policy)))
            .Select(e => e.RoutePattern.RawText)
            .ToList();
        Assert.True(unguarded.Count == 0, "Staff pages without a staff policy: " + string.Join(", ", unguarded));
    }

    private static string Expected(string policy, string actor, string[] roles, bool twoFactor) => actor switch
    {
        "anonymous" => "sign-in",
        "victim" => "403",
        _ when policy == StaffPolicies.AnyStaff => "open",
        _ when policy == StaffPolicies.Agent => roles.Contains(StaffRoles.Agent) ? "open" : "403",
        _ when policy == StaffPolicies.Finance => roles.Contains(StaffRoles.Finance) ? (twoFactor ? "open" : "enrol") : "403",
        _ when policy == StaffPolicies.Admin => roles.Contains(StaffRoles.Admin) ? (twoFactor ? "open" : "enrol") : "403",
        _ => "unknown policy " + policy,
    };

    private static string Describe(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Redirect when location.Contains("/staff/sign-in?", StringComparison.Ordinal) => "sign-in",
            HttpStatusCode.Redirect when location.Contains("/staff/two-factor/enrol", StringComparison.Ordinal) => "enrol",
            HttpStatusCode.Forbidden => "403",
            HttpStatusCode.OK => "open",
            HttpStatusCode.NotFound => "404",
            _ => $"{(int)response.StatusCode} {location}",
        };
    }

    /// <summary>An unknown claim number answers 404 to someone allowed on claim pages: it is still not a refusal.</summary>
    private static bool Matches(string expected, string actual, string path) =>
        expected == actual || (expected == "open" && actual == "404" && path.StartsWith("/staff/claims/", StringComparison.Ordinal));

    private static HashSet<string> MappedRoutes(WebApplicationFactory<Program> portal) =>
        portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText?.TrimStart('/') ?? "")
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Mapped as the page itself or as a catch-all under it (Hangfire's dashboard is /staff/jobs/{**path}).</summary>
    private static bool IsMapped(HashSet<string> mapped, string route) =>
        mapped.Contains(route) || mapped.Any(m => m.StartsWith(route + "/{", StringComparison.OrdinalIgnoreCase));
}
