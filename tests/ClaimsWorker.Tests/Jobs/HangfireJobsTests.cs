using System.Collections.Concurrent;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Intake;
using ClaimsOffice.Worker.Jobs;
using Dapper;
using Hangfire;
using Hangfire.Server;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClaimsOffice.Worker.Tests.Jobs;

/// <summary>Claims through the real Hangfire server: PostgreSQL storage, or in-memory storage beside SQLite (embedded mode).</summary>
[Collection(HangfireCollection.Name)]
public sealed class HangfireJobsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static async Task<Victim> VictimAsync(TestDatabase db) =>
        await Scenarios.CredentialStuffingVictimAsync(db.Connections, DateTimeOffset.UtcNow);

    private static async Task<string?> StatusAsync(TestDatabase db, long claimId) =>
        await db.ScalarAsync<string?>("SELECT status FROM claims WHERE id = @claimId", new { claimId });

    [DatabaseTheory]
    public async Task A_filed_claim_is_assessed_by_a_hangfire_job_and_paid_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        using var host = await JobsTestHost.StartAsync(db);
        var victim = await VictimAsync(db);

        var filed = await host.Services.GetRequiredService<ClaimIntake>().FileAsync(
            new FileClaimRequest(victim.Customer.Id, victim.DisputedReferences, "Not me."), CancellationToken.None);

        Assert.True(filed.Succeeded);
        var claimId = filed.Claim!.Id;
        await WaitFor.UntilAsync(async () => await StatusAsync(db, claimId) == ClaimStatus.Paid, Deadline, "the claim to be paid by its job");
        Assert.Equal(1, await db.CountAsync("payouts", "claim_id = @claimId", new { claimId }));
        Assert.Equal(victim.DisputedTotal, await db.ScalarAsync<long>("SELECT amount FROM payouts WHERE claim_id = @claimId", new { claimId }));
        await host.StopAsync();
    }

    [DatabaseTheory]
    public async Task The_same_claim_assessed_by_two_jobs_at_once_is_paid_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await VictimAsync(db);
        // Filed through the engine with a recording queue: no job yet, so both jobs below are ours.
        long claimId;
        await using (var engine = EngineHost.Create(db, TimeProvider.System))
        {
            claimId = (await engine.GetRequiredService<ClaimIntake>().FileAsync(
                new FileClaimRequest(victim.Customer.Id, victim.DisputedReferences, "Not me."), CancellationToken.None)).Claim!.Id;
        }
        var recorder = new RunRecorder(claimId);
        using var host = await JobsTestHost.StartAsync(db, filter: recorder);
        var queue = host.Services.GetRequiredService<HangfireAssessmentQueue>();

        // Hold the claim so that neither run can write before both have read it Submitted: both reach the guarded update.
        await using (var hold = await ClaimHold.TakeAsync(db, claimId))
        {
            await queue.EnqueueAsync(claimId, CancellationToken.None);
            await queue.EnqueueAsync(claimId, CancellationToken.None);
            await WaitFor.UntilAsync(() => Task.FromResult(recorder.Started >= 2), Deadline, "both jobs to start", () => JobStates(host));
            await hold.WaitUntilBlockedAsync(1, Deadline);
        }

        await WaitFor.UntilAsync(() => Task.FromResult(recorder.Results.Count >= 2 && recorder.Results.Count == recorder.Started), Deadline, "both jobs to finish", () => JobStates(host));
        // Exactly one run paid; every other found the claim decided (embedded: the start-up sweep may add a third run).
        Assert.Equal(AssessmentResult.Paid, Assert.Single(recorder.Results, r => r != AssessmentResult.AlreadyAssessed));
        Assert.Equal(ClaimStatus.Paid, await StatusAsync(db, claimId));
        Assert.Equal(1, await db.CountAsync("payouts", "claim_id = @claimId", new { claimId }));
        Assert.Equal(1, await db.CountAsync("ledger_journals", "kind = 'claim-payout' AND claim_id = @claimId", new { claimId }));
        await host.StopAsync();
    }

    private static string JobStates(IHost host)
    {
        var monitor = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var stats = monitor.GetStatistics();
        var failed = monitor.FailedJobs(0, 5).Select(j => j.Value.ExceptionMessage);
        return $"enqueued {stats.Enqueued}, processing {stats.Processing}, succeeded {stats.Succeeded}, failed {stats.Failed}: {string.Join(" | ", failed)}";
    }

    /// <summary>Counts the runs of one claim's assessment job and keeps what each returned.</summary>
    private sealed class RunRecorder(long claimId) : IServerFilter
    {
        private int _started;

        public int Started => Volatile.Read(ref _started);

        public ConcurrentBag<AssessmentResult> Results { get; } = [];

        public void OnPerforming(PerformingContext context)
        {
            if (IsMine(context))
            {
                Interlocked.Increment(ref _started);
            }
        }

        public void OnPerformed(PerformedContext context)
        {
            if (IsMine(context) && context.Result is AssessmentResult result)
            {
                Results.Add(result);
            }
        }

        private bool IsMine(PerformContext context) =>
            context.BackgroundJob.Job.Type == typeof(AssessClaimJob) && context.BackgroundJob.Job.Args[0] is long id && id == claimId;
    }
}

/// <summary>
/// A transaction of the test's that holds a claim: on PostgreSQL its row lock (readers pass, writers wait), on
/// SQLite the database's write lock (WAL readers pass, writers wait). Released on dispose.
/// </summary>
internal sealed class ClaimHold : IAsyncDisposable
{
    private readonly TestDatabase _db;
    private readonly System.Data.Common.DbConnection _connection;
    private readonly System.Data.Common.DbTransaction? _tx;

    private ClaimHold(TestDatabase db, System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? tx)
    {
        _db = db;
        _connection = connection;
        _tx = tx;
    }

    public static async Task<ClaimHold> TakeAsync(TestDatabase db, long claimId)
    {
        var connection = await db.Connections.OpenAsync(CancellationToken.None);
        if (db.Kind == DatabaseKind.Sqlite)
        {
            await connection.ExecuteAsync("BEGIN IMMEDIATE");
            return new ClaimHold(db, connection, null);
        }
        var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SELECT id FROM claims WHERE id = @claimId FOR UPDATE", new { claimId }, tx);
        return new ClaimHold(db, connection, tx);
    }

    /// <summary>
    /// PostgreSQL: until <paramref name="writers"/> sessions wait on a lock (ours: nothing else holds one), seen in pg_stat_activity. SQLite shows no
    /// waiters; there the runs have started (the caller checked) and a second is ample for each to read the claim and queue up behind the write lock.
    /// </summary>
    public async Task WaitUntilBlockedAsync(int writers, TimeSpan timeout)
    {
        if (_db.Kind == DatabaseKind.Sqlite)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            return;
        }
        try
        {
            // Inside a transaction PostgreSQL keeps the first pg_stat_activity snapshot it read: clear it before each look,
            // or a first look taken before the runs reached the claim would be read again until the timeout.
            await WaitFor.UntilAsync(async () =>
            {
                await ClearActivitySnapshotAsync();
                return await _connection.ExecuteScalarAsync<int>(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                    transaction: _tx) >= writers;
            }, timeout, $"{writers} assessments waiting on the claim");
        }
        catch (TimeoutException ex)
        {
            await ClearActivitySnapshotAsync();
            var sessions = await _connection.QueryAsync<string>(
                "SELECT pid || ' ' || coalesce(wait_event_type, '-') || '/' || coalesce(wait_event, '-') || ' ' || state || ' ' || left(query, 60) FROM pg_stat_activity WHERE datname = current_database() AND query NOT LIKE '%hangfire%'", transaction: _tx);
            throw new TimeoutException(ex.Message + "; sessions: " + string.Join(" | ", sessions), ex);
        }
    }

    private Task ClearActivitySnapshotAsync() => _connection.ExecuteAsync("SELECT pg_stat_clear_snapshot()", transaction: _tx);

    public async ValueTask DisposeAsync()
    {
        if (_tx is not null)
        {
            await _tx.RollbackAsync();
            await _tx.DisposeAsync();
        }
        else
        {
            await _connection.ExecuteAsync("ROLLBACK");
        }
        await _connection.DisposeAsync();
        if (_connection is SqliteConnection sqlite)
        {
            SqliteConnection.ClearPool(sqlite);
        }
    }
}
