using System.Net;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Review;
using ClaimsOffice.Portal.Features.Staff;
using ClaimsOffice.Portal.Tests.Features.Victim;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Review;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Features.Staff;

/// <summary>The fund page, the payouts CSV and the dashboard over real HTTP, after an agent paid a claim through the real ledger.</summary>
[Collection(PortalCollection.Name)]
public sealed class FundAndDashboardTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [DatabaseTheory]
    public async Task Finance_exports_the_days_payouts_as_csv_and_bad_ranges_get_a_clear_400(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var claim = await PaidByAnAgentAsync(portal, db);
        var finance = await SignedInAsync(portal, await portal.CreateStaffAsync("finance@test.example", StaffRoles.Finance));
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var export = await finance.GetAsync(new Uri($"/staff/fund/payouts.csv?from={today}&to={today}", UriKind.Relative));
        var csv = await export.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("payout_id,paid_at_utc,claim_number,customer_id,customer_name,customer_email,amount,currency", lines[0]);
        var row = Assert.Single(lines.Skip(1));
        Assert.Contains($",{claim.ClaimNumber},", row, StringComparison.Ordinal);
        // A comma in a name is quoted; yen have no minor unit.
        Assert.Contains(",\"Mori, Haruka\",haruka@example.jp,12345,JPY", row, StringComparison.Ordinal);

        var earlier = await (await finance.GetAsync(new Uri($"/staff/fund/payouts.csv?from={yesterday}&to={yesterday}", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.Single(earlier.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));

        var badDate = await finance.GetAsync(new Uri("/staff/fund/payouts.csv?from=2026-13-01&to=2026-11-30", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("yyyy-MM-dd", await badDate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var reversed = await finance.GetAsync(new Uri($"/staff/fund/payouts.csv?from={today}&to={yesterday}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.Contains("after the 'to' date", await reversed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var missing = await finance.GetAsync(new Uri("/staff/fund/payouts.csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        var agent = await SignedInAsync(portal, await portal.CreateStaffAsync("agent2@test.example", StaffRoles.Agent));
        var refused = await agent.GetAsync(new Uri($"/staff/fund/payouts.csv?from={today}&to={today}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(claim.ClaimNumber, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [DatabaseTheory]
    public async Task The_fund_page_shows_the_payout_and_the_dashboard_counts_it_as_paid_by_a_person(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var claim = await PaidByAnAgentAsync(portal, db);
        var finance = await SignedInAsync(portal, await portal.CreateStaffAsync("finance@test.example", StaffRoles.Finance));

        var fund = await finance.GetPageAsync("/staff/fund");
        Assert.Contains(claim.ClaimNumber, fund.QuerySelector("[data-testid=largest-payouts]")!.TextContent, StringComparison.Ordinal);
        // Nothing topped the fund up: it is 12,345 yen below zero, shown as it is.
        Assert.Contains("-¥12,345", fund.QuerySelector("[data-testid=fund-balance]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("¥12,345", fund.QuerySelector("[data-testid=paid-today]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Not run yet", fund.QuerySelector("[data-testid=reconciliation]")!.TextContent, StringComparison.Ordinal);

        var agent = await SignedInAsync(portal, await portal.CreateStaffAsync("agent2@test.example", StaffRoles.Agent));
        var dashboard = await agent.GetPageAsync("/staff");
        Assert.Equal("1", dashboard.QuerySelector("[data-testid=claims-total]")!.TextContent.Trim());
        Assert.Equal("0%", dashboard.QuerySelector("[data-testid=automatic-share]")!.TextContent.Trim());
        Assert.DoesNotContain("nothing paid yet", dashboard.QuerySelector("[data-testid=median-to-money]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(dashboard.QuerySelector("[data-testid=staff-nav] a[href='/staff/queue']"));
        Assert.Null(dashboard.QuerySelector("[data-testid=staff-nav] a[href='/staff/fund']"));
    }

    /// <summary>A ¥12,345 claim reported two hours ago, taken and approved in full by an agent whose limit covers it.</summary>
    private static async Task<Claim> PaidByAnAgentAsync(PortalFactory portal, TestDatabase db)
    {
        var agent = await new StaffMemberBuilder().Named("Aiko Agent").Agent().WithLimit(1_000_000).InsertAsync(db.Connections);
        var customer = await new CustomerBuilder().Named("Mori, Haruka").WithEmail("haruka@example.jp").InsertAsync(db.Connections);
        var claim = await new ClaimInReviewBuilder().ForCustomer(customer.Id).Disputing(12_345).SubmittedAt(DateTimeOffset.UtcNow.AddHours(-2)).InsertAsync(db.Connections);
        var review = portal.Services.GetRequiredService<ReviewService>();
        Assert.True((await review.TakeAsync(claim.Id, 0, agent, None)).Succeeded);
        var line = Assert.Single(await portal.Services.GetRequiredService<ClaimReviewRepository>().ListDisputedAsync(claim.Id, None));
        var outcome = await review.ApproveAsync(claim.Id, 1, agent, [new ApprovalInput(line.TransactionId, "12345")], None);
        Assert.Equal(ReviewOutcomeKind.Paid, outcome.Kind);
        return claim;
    }

    private static async Task<HttpClient> SignedInAsync(WebApplicationFactory<Program> portal, TestStaff staff)
    {
        var cookies = new System.Net.CookieContainer();
        using (var signingIn = portal.CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler(cookies)))
        {
            await portal.SignInStaffAsync(signingIn, staff);
        }
        return portal.CreateDefaultClient(new CookieContainerHandler(cookies));
    }
}
