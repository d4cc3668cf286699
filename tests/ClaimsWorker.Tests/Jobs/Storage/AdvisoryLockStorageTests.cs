using System.Diagnostics;
using System.Reflection;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Intake;
using ClaimsOffice.Worker.Jobs.Storage;
using Dapper;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ClaimsOffice.Worker.Tests.Jobs.Storage;

/// <summary>
/// Hangfire's distributed locks as PostgreSQL session advisory locks: two storages on one database stand for two
/// worker processes.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class AdvisoryLockStorageTests
{
    private static JobStorage Storage(TestDatabase db) => JobsServiceCollectionExtensions.CreateStorage(db.Options, new WorkerOptions(), db.Connections);

    // The test server is shared with other tests' databases, whose engines take advisory locks of their own.
    private const string InThisDatabase = "locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    private static Task<long> AdvisoryLocksAsync(TestDatabase db) => db.ScalarAsync<long>($"SELECT count(*) FROM pg_locks WHERE {InThisDatabase}");

    private static Task<long?> HolderPidAsync(TestDatabase db, string resource) =>
        db.ScalarAsync<long?>(
            $"SELECT pid FROM pg_locks WHERE {InThisDatabase} AND granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = @key",
            new { key = AdvisoryLockConnection.KeyOf(resource) });

    private static async Task<List<string>> JobLockRowsAsync(TestDatabase db)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<string>("SELECT resource FROM lock_rows WHERE resource LIKE '%job:%'")).ToList();
    }

    [PostgresFact]
    public async Task Two_processes_locking_one_resource_take_turns()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var first = Storage(db);
        var second = Storage(db);
        using var firstConnection = first.GetConnection();
        using var secondConnection = second.GetConnection();

        var held = firstConnection.AcquireDistributedLock("job:1:state-lock", TimeSpan.Zero);
        Assert.NotNull(await HolderPidAsync(db, "job:1:state-lock"));
        Assert.Throws<DistributedLockTimeoutException>(() => secondConnection.AcquireDistributedLock("job:1:state-lock", TimeSpan.Zero));
        // Another resource is not held up.
        secondConnection.AcquireDistributedLock("job:2:state-lock", TimeSpan.Zero).Dispose();

        var released = false;
        var waiting = Task.Run(() =>
        {
            using var _ = secondConnection.AcquireDistributedLock("job:1:state-lock", TimeSpan.FromSeconds(30));
            return Volatile.Read(ref released);
        });
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        Volatile.Write(ref released, true);
        held.Dispose();

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(30)), "the second process got the lock only after the first released it");
        Assert.Null(await HolderPidAsync(db, "job:1:state-lock"));
    }

    [PostgresFact]
    public async Task A_lock_not_free_within_the_timeout_throws_hangfires_timeout_exception()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var holder = Storage(db).GetConnection();
        using var other = Storage(db).GetConnection();
        using var held = holder.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.Zero);

        var waited = Stopwatch.StartNew();
        var ex = Assert.Throws<DistributedLockTimeoutException>(() => other.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.FromMilliseconds(400)));

        Assert.True(waited.Elapsed >= TimeSpan.FromMilliseconds(400), $"gave up after {waited.Elapsed.TotalMilliseconds} ms, before its timeout");
        Assert.Contains("recurring-jobs:lock", ex.Message, StringComparison.Ordinal);
        // The loser holds no session: only the holder's lock is there.
        Assert.Equal(1, await AdvisoryLocksAsync(db));
    }

    [PostgresFact]
    public async Task A_lock_dies_with_its_holders_session()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var holder = Storage(db).GetConnection();
        using var other = Storage(db).GetConnection();
        var held = holder.AcquireDistributedLock("claims:outbox", TimeSpan.Zero);
        var pid = await HolderPidAsync(db, "claims:outbox");
        Assert.NotNull(pid);

        // As when the worker process is killed: PostgreSQL ends the session and drops its locks, no timeout to wait for.
        Assert.True(await db.ScalarAsync<bool>("SELECT pg_terminate_backend(@pid::int)", new { pid }));

        using (other.AcquireDistributedLock("claims:outbox", TimeSpan.FromSeconds(10)))
        {
            Assert.NotEqual(pid, await HolderPidAsync(db, "claims:outbox"));
        }
        // Releasing what the dead session held is quiet, and the holder's connection locks again on a new session.
        held.Dispose();
        holder.AcquireDistributedLock("claims:outbox", TimeSpan.Zero).Dispose();
        Assert.Null(await HolderPidAsync(db, "claims:outbox"));
    }

    [PostgresFact]
    public async Task Locks_are_reentrant_per_connection_and_nested_ones_share_its_session()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var connection = Storage(db).GetConnection();
        using var other = Storage(db).GetConnection();

        var outer = connection.AcquireDistributedLock("locks:schedulepoller", TimeSpan.Zero);
        var jobLock = connection.AcquireDistributedLock("job:7:state-lock", TimeSpan.Zero);
        var again = connection.AcquireDistributedLock("job:7:state-lock", TimeSpan.Zero);
        Assert.Equal(await HolderPidAsync(db, "locks:schedulepoller"), await HolderPidAsync(db, "job:7:state-lock"));

        again.Dispose();
        // Still held: the first handle is not released yet.
        Assert.Throws<DistributedLockTimeoutException>(() => other.AcquireDistributedLock("job:7:state-lock", TimeSpan.Zero));
        jobLock.Dispose();
        jobLock.Dispose();
        other.AcquireDistributedLock("job:7:state-lock", TimeSpan.Zero).Dispose();
        Assert.Throws<DistributedLockTimeoutException>(() => other.AcquireDistributedLock("locks:schedulepoller", TimeSpan.Zero));
        outer.Dispose();
        Assert.Equal(0, await AdvisoryLocksAsync(db));
    }

    [PostgresFact]
    public async Task A_claim_job_writes_no_lock_table_rows()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var host = await JobsTestHost.StartAsync(db);
        // Record every row the lock table gets from here on.
        await db.ExecuteAsync("""
            CREATE TABLE lock_rows (resource text NOT NULL);
            CREATE FUNCTION record_lock_row() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN INSERT INTO lock_rows VALUES (NEW.resource); RETURN NEW; END $$;
            CREATE TRIGGER record_lock_row AFTER INSERT ON hangfire.lock FOR EACH ROW EXECUTE FUNCTION record_lock_row();
            """);
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, DateTimeOffset.UtcNow);

        var claimId = (await host.Services.GetRequiredService<ClaimIntake>().FileAsync(
            new FileClaimRequest(victim.Customer.Id, victim.DisputedReferences, "Not me."), CancellationToken.None)).Claim!.Id;
        await WaitFor.UntilAsync(
            async () => await db.ScalarAsync<string?>("SELECT status FROM claims WHERE id = @claimId", new { claimId }) == ClaimStatus.Paid
                && await db.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE statename = 'Succeeded'") >= 1,
            TimeSpan.FromSeconds(30), "the claim's job to succeed");
        await host.StopAsync();

        // Processing and Succeeded each took the job's state lock, on an advisory lock, so the table got nothing for it.
        Assert.Empty(await JobLockRowsAsync(db));
        // The recording works: Hangfire.PostgreSql's own lock would have shown up.
        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false };
        using (var plain = new PostgreSqlStorage(new NpgsqlConnectionFactory(db.Options.ConnectionString, options), options).GetConnection())
        using (plain.AcquireDistributedLock("job:1:state-lock", TimeSpan.Zero))
        {
        }
        Assert.Equal(["hangfire:job:1:state-lock"], await JobLockRowsAsync(db));
    }

    [Fact]
    public void Every_storage_and_connection_member_reaches_hangfire_postgresql()
    {
        // Whatever Hangfire.Core lets a storage override, the decorators override: nothing falls back to the base class's
        // defaults ("not supported", an empty list), which would break the dashboard or the servers.
        static IEnumerable<string> NotOverridden(Type decorator) =>
            decorator.BaseType!.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => (m.IsVirtual || m.IsAbstract) && !m.IsFinal && m.DeclaringType != typeof(object))
                .Where(m => decorator.GetMethod(m.Name, BindingFlags.Public | BindingFlags.Instance, m.GetParameters().Select(p => p.ParameterType).ToArray())!.DeclaringType != decorator)
                .Select(m => m.ToString()!);

        Assert.Empty(NotOverridden(typeof(AdvisoryLockStorage)));
        Assert.Empty(NotOverridden(typeof(AdvisoryLockConnection)));
    }
}
