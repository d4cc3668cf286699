using ClaimsOffice.Database.Claims;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Intake;
using ClaimsOffice.Worker.Jobs;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Worker.Tests.Jobs;

public sealed class SweepSubmittedClaimsJobTests
{
    private sealed class RecordingQueue : IAssessmentQueue
    {
        public List<long> Enqueued { get; } = [];

        public Task EnqueueAsync(long claimId, CancellationToken ct)
        {
            Enqueued.Add(claimId);
            return Task.CompletedTask;
        }
    }

    private static async Task<Claim> FileClaimAsync(TestDatabase db, ClaimRepository claims, DateTimeOffset submittedAt)
    {
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var transaction = await new TransactionBuilder(customer.Id).Payment(5_000).At(submittedAt.AddHours(-1)).InsertAsync(db.Connections);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var claim = await claims.InsertAsync(new NewClaim(customer.Id, "Not me", 5_000, "JPY", submittedAt, [new ClaimedTransaction(transaction.Id, 5_000)]), tx, CancellationToken.None);
        await tx.CommitAsync();
        return claim;
    }

    [DatabaseTheory]
    public async Task A_claim_left_submitted_is_enqueued_again_once_per_sweep_age_not_every_round(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        var claims = new ClaimRepository(db.Connections);
        var claim = await FileClaimAsync(db, claims, clock.GetUtcNow());
        var queue = new RecordingQueue();
        using var storage = new InMemoryStorage();
        var options = new WorkerOptions { SweepAfter = TimeSpan.FromMinutes(1), SweepInterval = TimeSpan.FromSeconds(15) };
        var sweep = new SweepSubmittedClaimsJob(claims, queue, storage, Options.Create(options), clock);

        await sweep.RunAsync(CancellationToken.None);
        Assert.Empty(queue.Enqueued);

        clock.Advance(TimeSpan.FromSeconds(61));
        await sweep.RunAsync(CancellationToken.None);
        // Still queued behind a backlog, say: the next rounds leave it alone.
        clock.Advance(options.SweepInterval);
        await sweep.RunAsync(CancellationToken.None);
        clock.Advance(options.SweepInterval);
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal([claim.Id], queue.Enqueued);

        // A sweep age later it is still Submitted: that copy was lost too, so it goes again.
        clock.Advance(options.SweepAfter);
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal([claim.Id, claim.Id], queue.Enqueued);

        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        await using (var tx = await connection.BeginTransactionAsync())
        {
            Assert.True(await claims.MarkPaidAsync(claim.Id, clock.GetUtcNow(), 5_000, clock.GetUtcNow(), tx, CancellationToken.None));
            await tx.CommitAsync();
        }
        clock.Advance(options.SweepAfter);
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal([claim.Id, claim.Id], queue.Enqueued);
    }

    [DatabaseTheory]
    public async Task A_claim_filed_behind_jobs_still_waiting_in_the_queue_is_not_taken_for_lost(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        using var storage = new InMemoryStorage();
        // A backlog: a job enqueued (on the real clock, as Hangfire stamps it) and not yet picked up.
        new BackgroundJobClient(storage).Enqueue(() => Console.WriteLine("waiting"));
        var clock = new FixedClock(DateTimeOffset.UtcNow.AddSeconds(1));
        var claims = new ClaimRepository(db.Connections);
        var claim = await FileClaimAsync(db, claims, clock.GetUtcNow());
        var queue = new RecordingQueue();
        var options = new WorkerOptions { SweepAfter = TimeSpan.FromMinutes(1) };
        var sweep = new SweepSubmittedClaimsJob(claims, queue, storage, Options.Create(options), clock);

        clock.Advance(TimeSpan.FromMinutes(3));
        await sweep.RunAsync(CancellationToken.None);
        Assert.Empty(queue.Enqueued);

        // The queue moved past it and the claim is still Submitted: now it counts as lost.
        using (var connection = storage.GetConnection())
        {
            connection.FetchNextJob(["default"], CancellationToken.None).RemoveFromQueue();
        }
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal([claim.Id], queue.Enqueued);
    }
}
