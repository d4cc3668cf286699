using System.Globalization;
using System.Security.Claims;
using Bunit;
using ClaimsOffice.Portal.Features.ClaimWatch;
using ClaimsOffice.Portal.Features.Victim;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Features.Victim;

/// <summary>The interactive claim page over a real database: a change made by another engine is pushed into the rendered card.</summary>
public sealed class ClaimPageTests : MudComponentTest
{
    [DatabaseTheory]
    public async Task The_card_changes_in_place_when_another_engine_decides_the_claim(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var engine = EngineHost.Create(db, TimeProvider.System);
        var (victim, claim) = await FiledClaim.CreateAsync(db, engine);
        Services.AddClaimsDatabase(db.Options);
        Services.AddSingleton<ClaimStatusQuery>();
        Services.AddSingleton<ClaimsOffice.Database.Review.ClaimReviewRepository>();
        Services.AddOptions<ClaimWatchOptions>().Configure(o => o.PollInterval = TimeSpan.FromMilliseconds(100));
        Services.AddLogging();
        Services.AddSingleton<ClaimChangeWatcher>();
        AddAuthorization().SetAuthorized(victim.Customer.FullName).SetRoles(VictimIdentity.Role)
            .SetClaims(new Claim(ClaimTypes.NameIdentifier, victim.Customer.Id.ToString(CultureInfo.InvariantCulture)));
        var watcher = Services.GetRequiredService<ClaimChangeWatcher>();
        await watcher.StartAsync(CancellationToken.None);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = Render<ClaimPage>(p => p.Add(c => c.ClaimNumber, claim.ClaimNumber));
        page.WaitForAssertion(() => Assert.Contains("We are checking your claim", page.Find("[data-testid=claim-outcome]").TextContent, StringComparison.Ordinal));
        Assert.Contains("This page updates by itself.", page.Find("[data-testid=claim-outcome]").TextContent, StringComparison.Ordinal);
        Assert.Equal(1, watcher.WatchedClaims);

        Assert.Equal(AssessmentResult.Paid, await engine.GetRequiredService<AssessmentService>().AssessAsync(claim.Id, CancellationToken.None));

        page.WaitForAssertion(() => Assert.Contains("Reimbursed ¥19,600 to your wallet.", page.Find("[data-testid=claim-outcome]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromSeconds(15));
        Assert.Equal("Reimbursed", page.Find("[data-status]").TextContent);

        // Leaving the page stops the watching.
        await DisposeComponentsAsync();
        Assert.Equal(0, watcher.WatchedClaims);
        await watcher.StopAsync(CancellationToken.None);
    }
}
