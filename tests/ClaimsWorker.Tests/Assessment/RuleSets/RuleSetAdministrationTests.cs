using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Migrations;
using ClaimsOffice.Database.RuleSets;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Assessment.RuleSets;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Intake;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Worker.Tests.Assessment.RuleSets;

/// <summary>Rule-set versions in the database: seeded, imported, activated (audited), and picked up by the engine.</summary>
public sealed class RuleSetAdministrationTests
{
    private static string Draft(string version, int score, string extra = "") => $$"""
        {
          "version": "{{version}}",
          "description": "test draft",
          "auto_approve_score": {{score}},
          "rules": { "new-device": { "points": 30 }, "shared-device-or-ip": {} {{extra}} }
        }
        """;

    [DatabaseTheory]
    public async Task A_new_database_gets_the_default_version_active_and_an_activation_is_audited_and_exclusive(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var admin = ActivatorUtilities.CreateInstance<RuleSetAdministration>(host.Services);
        var repository = host.GetRequiredService<RuleSetRepository>();

        var imported = await admin.ImportAsync(Draft("2026.12-1", 60), "admin:alice", CancellationToken.None);
        var activated = await admin.ActivateAsync("2026.12-1", "admin:alice", CancellationToken.None);

        Assert.True(imported.Succeeded, imported.Message);
        Assert.True(activated.Succeeded, activated.Message);
        var versions = await repository.ListAsync(CancellationToken.None);
        Assert.Equal([RuleSet.DefaultVersion, "2026.12-1"], versions.Select(v => v.Version));
        Assert.Equal("2026.12-1", Assert.Single(versions, v => v.IsActive).Version);
        var entry = Assert.Single(await host.GetRequiredService<AuditLog>().ListForEntityAsync("rule_set", "2026.12-1", CancellationToken.None));
        Assert.Equal("rule-set.activated", entry.Action);
        Assert.Equal("admin:alice", entry.Actor);
        Assert.Contains(RuleSet.DefaultVersion, entry.Data, StringComparison.Ordinal);
        await host.GetRequiredService<AuditLog>().SealPendingAsync(CancellationToken.None);
        Assert.Null(await host.GetRequiredService<AuditLog>().FindFirstBrokenEntryAsync(CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task A_version_is_never_overwritten_and_a_bad_draft_is_refused_with_the_reason(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var host = EngineHost.Create(db, new FixedClock());
        var admin = ActivatorUtilities.CreateInstance<RuleSetAdministration>(host.Services);

        var first = await admin.ImportAsync(Draft("d-1", 60), "admin:a", CancellationToken.None);
        var again = await admin.ImportAsync(Draft("d-1", 10), "admin:a", CancellationToken.None);
        var typo = await admin.ImportAsync(Draft("d-2", 60, ", \"new-devise\": {}"), "admin:a", CancellationToken.None);
        var mandatoryOff = await admin.ImportAsync(Draft("d-3", 60, ", \"auto-payout-limit\": { \"enabled\": false }"), "admin:a", CancellationToken.None);
        var missing = await admin.ActivateAsync("no-such", "admin:a", CancellationToken.None);

        Assert.True(first.Succeeded);
        Assert.False(again.Succeeded);
        Assert.Contains("already exists", again.Message, StringComparison.Ordinal);
        Assert.Contains("60", (await host.GetRequiredService<RuleSetRepository>().GetAsync("d-1", CancellationToken.None))!.Document, StringComparison.Ordinal);
        Assert.False(typo.Succeeded);
        Assert.Contains("new-devise", typo.Message, StringComparison.Ordinal);
        Assert.False(mandatoryOff.Succeeded);
        Assert.False(missing.Succeeded);
        Assert.Null(await host.GetRequiredService<RuleSetRepository>().GetAsync("d-2", CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task Start_up_gives_a_new_database_the_built_in_rule_set_before_any_claim_and_never_a_second_time(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var repository = host.GetRequiredService<RuleSetRepository>();
        var startUp = new MigrateOnStart(host.GetRequiredService<Migrator>(), host.GetRequiredService<ActiveRuleSet>());
        Assert.Empty(await repository.ListAsync(CancellationToken.None));

        await startUp.StartAsync(CancellationToken.None);
        var admin = ActivatorUtilities.CreateInstance<RuleSetAdministration>(host.Services);
        await admin.ImportAsync(Draft("2026.12-1", 60), "admin:alice", CancellationToken.None);
        await admin.ActivateAsync("2026.12-1", "admin:alice", CancellationToken.None);
        await startUp.StartAsync(CancellationToken.None);

        var versions = await repository.ListAsync(CancellationToken.None);
        Assert.Equal([RuleSet.DefaultVersion, "2026.12-1"], versions.Select(v => v.Version));
        Assert.Equal("2026.12-1", (await repository.GetActiveAsync(CancellationToken.None))!.Version);
    }

    [DatabaseTheory]
    public async Task The_engine_assesses_with_the_newly_activated_version_within_seconds(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var admin = ActivatorUtilities.CreateInstance<RuleSetAdministration>(host.Services);
        Assert.Equal(RuleSet.DefaultVersion, (await host.GetRequiredService<IRuleSetSource>().GetActiveAsync(CancellationToken.None)).Version);
        // A version that asks for more than any claim can score: nothing clears.
        await admin.ImportAsync(Draft("strict-1", 10_000), "admin:a", CancellationToken.None);
        await admin.ActivateAsync("strict-1", "admin:a", CancellationToken.None);
        clock.Advance(ActiveRuleSet.CacheFor + TimeSpan.FromSeconds(1));
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, clock.GetUtcNow());
        var filed = await host.GetRequiredService<ClaimIntake>().FileAsync(
            new FileClaimRequest(victim.Customer.Id, victim.DisputedReferences, "Not me."), CancellationToken.None);

        var result = await host.GetRequiredService<AssessmentService>().AssessAsync(filed.Claim!.Id, CancellationToken.None);

        Assert.Equal(AssessmentResult.InReview, result);
        var assessment = await host.GetRequiredService<Database.Assessments.AssessmentRepository>().GetLatestForClaimAsync(filed.Claim.Id, CancellationToken.None);
        Assert.Equal("strict-1", assessment!.RuleSetVersion);
        Assert.Equal(ClaimStatus.InReview, (await host.GetRequiredService<ClaimRepository>().GetAsync(filed.Claim.Id, CancellationToken.None))!.Status);
    }
}
