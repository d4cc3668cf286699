using ClaimsOffice.Database.Audit;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Audit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClaimsOffice.Worker.Tests.Audit;

public sealed class AuditSealingLoopTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task Entries_committed_by_this_and_by_other_processes_are_sealed_without_anyone_asking()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var log = new AuditLog(db.Connections);
        using var loop = new AuditSealingLoop(log, TimeProvider.System, NullLogger<AuditSealingLoop>.Instance);
        await loop.StartAsync(CancellationToken.None);
        try
        {
            await AppendAsync(db, log, "CLM-2026-000001");
            // Another process's entry: nothing in this process signals it, so the loop's idle pass must find it.
            await AppendAsync(db, new AuditLog(db.Connections), "CLM-2026-000002");

            await WaitFor.UntilAsync(async () => (await log.GetBacklogAsync(CancellationToken.None)).Entries == 0,
                TimeSpan.FromSeconds(30), "the loop to seal both entries");
            Assert.Equal(2, await db.CountAsync("audit_log", "chain_seq IS NOT NULL"));
            Assert.Null(await log.FindFirstBrokenEntryAsync(CancellationToken.None));
            var health = await new AuditChainHealthCheck(log, loop, TimeProvider.System).CheckHealthAsync(new HealthCheckContext());
            Assert.Equal(HealthStatus.Healthy, health.Status);
        }
        finally
        {
            await loop.StopAsync(CancellationToken.None);
        }
    }

    [PostgresFact]
    public async Task Health_is_degraded_when_the_sealer_has_not_finished_a_pass_for_a_minute()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var log = new AuditLog(db.Connections);
        await AppendAsync(db, log, "CLM-2026-000001");
        var clock = new FixedClock(Now);
        // Never started, as when the database refused every pass.
        using var loop = new AuditSealingLoop(log, clock, NullLogger<AuditSealingLoop>.Instance);
        clock.Advance(AuditChainHealthCheck.MaxSilence + TimeSpan.FromSeconds(1));

        var health = await new AuditChainHealthCheck(log, loop, clock).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("1 audit entries waiting", health.Description, StringComparison.Ordinal);
    }

    private static async Task AppendAsync(TestDatabase db, AuditLog log, string claim)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        await log.AppendAsync(new AuditEntry("engine:test", "claim.submitted", "claim", claim, "{}", Now), tx, CancellationToken.None);
        await tx.CommitAsync();
    }
}
