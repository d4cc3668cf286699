using System.Diagnostics;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Intake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using Xunit;

namespace ClaimsOffice.Worker.Tests.Jobs;

/// <summary>Real <c>ClaimsWorker run</c> processes, killed with SIGKILL: a claim is never lost and never paid twice.</summary>
[Collection(HangfireCollection.Name)]
public sealed class WorkerFailoverTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    /// <summary>The promise: a killed worker's claims finish on another worker within 30 s.</summary>
    private static readonly TimeSpan FailoverLimit = TimeSpan.FromSeconds(30);

    private static async Task<long> FileWithoutJobAsync(TestDatabase db, Victim victim)
    {
        await using var engine = EngineHost.Create(db, TimeProvider.System);
        return (await engine.GetRequiredService<ClaimIntake>().FileAsync(
            new FileClaimRequest(victim.Customer.Id, victim.DisputedReferences, "Not me."), CancellationToken.None)).Claim!.Id;
    }

    private static async Task<string?> StatusAsync(TestDatabase db, long claimId) =>
        await db.ScalarAsync<string?>("SELECT status FROM claims WHERE id = @claimId", new { claimId });

    [DatabaseTheory]
    public async Task A_worker_killed_mid_assessment_loses_nothing_and_another_pays_the_claim_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, DateTimeOffset.UtcNow);
        var claimId = await FileWithoutJobAsync(db, victim);
        using var first = await WorkerProcess.StartAsync(db, StartTimeout);
        WorkerProcess second;
        Stopwatch killedAt;
        var hold = await ClaimHold.TakeAsync(db, claimId);
        try
        {
            if (kind == DatabaseKind.Postgres)
            {
                // Portals only enqueue: the job goes to PostgreSQL and the worker process takes it.
                using var portal = await JobsTestHost.StartAsync(db, inProcess: false);
                await portal.Services.GetRequiredService<IAssessmentQueue>().EnqueueAsync(claimId, CancellationToken.None);
                // The worker is inside the assessment: its decision transaction waits on our hold of the claim.
                await hold.WaitUntilBlockedAsync(1, StartTimeout);
                await portal.StopAsync();
            }
            else
            {
                // Embedded: the worker's in-memory queue gets the claim from its start-up sweep, and the run waits on
                // our write lock; SQLite shows no waiters, so give it a moment to be inside the assessment.
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
            // The survivor is up before the kill, so the time measured below is the failover alone.
            second = await WorkerProcess.StartAsync(db, StartTimeout);
            first.Kill();
            killedAt = Stopwatch.StartNew();
        }
        finally
        {
            await hold.DisposeAsync();
        }
        using (second)
        {
            await WaitFor.UntilAsync(async () => await StatusAsync(db, claimId) == ClaimStatus.Paid, FailoverLimit + TimeSpan.FromSeconds(30),
                "the other worker to pay the claim", () => second.Output);
            var failover = killedAt.Elapsed;

            Assert.True(failover <= FailoverLimit, $"paid {failover.TotalSeconds:0.0} s after the kill; the promise is {FailoverLimit.TotalSeconds:0} s");
            Assert.Equal(1, await db.CountAsync("payouts", "claim_id = @claimId", new { claimId }));
            Assert.Equal(1, await db.CountAsync("ledger_journals", "kind = 'claim-payout' AND claim_id = @claimId", new { claimId }));
        }
    }
}
