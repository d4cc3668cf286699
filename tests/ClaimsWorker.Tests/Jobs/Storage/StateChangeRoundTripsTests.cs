using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Jobs;
using ClaimsOffice.Worker.Jobs.Storage;
using Dapper;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using Hangfire.Storage;
using Npgsql;
using Xunit;

namespace ClaimsOffice.Worker.Tests.Jobs.Storage;

/// <summary>
/// A job state change in three round trips on PostgreSQL: its lock with the job's read, its writes as one command, the unlock. The
/// same rows and reads as Hangfire.PostgreSql's own, all or nothing, and anything else still through its transaction.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class StateChangeRoundTripsTests
{
    /// <summary>A state as Hangfire's state machine hands it to the transaction: a name, a reason and its data.</summary>
    private sealed class FixedState(string name, string? reason, Dictionary<string, string> data) : IState
    {
        public string Name => name;
        public string? Reason => reason;
        public bool IsFinal => name == SucceededState.StateName;
        public bool IgnoreJobLoadException => false;
        public Dictionary<string, string> SerializeData() => new(data);
    }

    private static JobStorage Batched(TestDatabase db) => JobsServiceCollectionExtensions.CreateStorage(db.Options, new WorkerOptions(), db.Connections);

    private static PostgreSqlStorage Plain(TestDatabase db)
    {
        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(db.Options.ConnectionString, options), options);
    }

    private static string CreateJob(IStorageConnection connection) =>
        connection.CreateExpiredJob(Job.FromExpression<AssessClaimJob>(j => j.RunAsync(1, CancellationToken.None)), new Dictionary<string, string>(), DateTime.UtcNow, TimeSpan.FromHours(1));

    private static readonly IState HistoryOnly = new FixedState("Noted", "history only", new() { ["By"] = "test" });

    /// <summary>A claim job's three state changes, as Hangfire's state machine writes them, with the states given.</summary>
    private static void Lifecycle(IStorageConnection connection, string jobId, string counterPrefix, IState enqueued, IState processing, IState succeeded)
    {
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.SetJobState(jobId, enqueued);
            transaction.AddToQueue("default", jobId);
            transaction.PersistJob(jobId);
            transaction.Commit();
        }
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.AddJobState(jobId, HistoryOnly);
            transaction.SetJobState(jobId, processing);
            transaction.PersistJob(jobId);
            transaction.Commit();
        }
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.SetJobState(jobId, succeeded);
            transaction.ExpireJob(jobId, TimeSpan.FromDays(1));
            transaction.IncrementCounter(counterPrefix + ":succeeded");
            transaction.IncrementCounter(counterPrefix + ":succeeded:day", TimeSpan.FromDays(1));
            transaction.DecrementCounter(counterPrefix + ":down");
            transaction.DecrementCounter(counterPrefix + ":down:day", TimeSpan.FromDays(2));
            transaction.Commit();
        }
    }

    private sealed record JobRow(string? StateName, bool StateIsLatest, double? ExpiresInHours, int Queued);

    private static async Task<JobRow> JobRowAsync(TestDatabase db, string jobId)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<JobRow>("""
            SELECT j.statename AS statename,
                   coalesce(j.stateid = (SELECT max(id) FROM hangfire.state s WHERE s.jobid = j.id), false) AS stateislatest,
                   round(extract(epoch FROM j.expireat - now()) / 3600)::float8 AS expiresinhours,
                   (SELECT count(*) FROM hangfire.jobqueue q WHERE q.jobid = j.id AND q.queue = 'default' AND q.fetchedat IS NULL)::int AS queued
            FROM hangfire.job j WHERE j.id = @id
            """, new { id = long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture) });
    }

    private static async Task<List<string>> StatesAsync(TestDatabase db, string jobId)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        return [.. await connection.QueryAsync<string>(
            "SELECT name || '|' || coalesce(reason, '-') || '|' || data::text FROM hangfire.state WHERE jobid = @id ORDER BY id",
            new { id = long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture) })];
    }

    private static async Task<List<string>> CountersAsync(TestDatabase db, string prefix)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        return [.. await connection.QueryAsync<string>("""
            SELECT substr(key, length(@prefix) + 1) || '=' || value || '|' || coalesce(round(extract(epoch FROM expireat - now()) / 3600)::text, 'never')
            FROM hangfire.counter WHERE key LIKE @prefix || ':%' ORDER BY key
            """, new { prefix })];
    }

    /// <summary>Each command an Npgsql connection to this test database runs (Npgsql's activity source; a COMMIT is not a command).</summary>
    private sealed class CommandRecorder : IDisposable
    {
        private readonly ActivityListener _listener;

        public ConcurrentQueue<string> Commands { get; } = new();

        public CommandRecorder(string database)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.TagObjects.Any(t => Equals(t.Value, database)))
                    {
                        Commands.Enqueue(activity.TagObjects.FirstOrDefault(t => t.Value is string s && s.Contains("hangfire", StringComparison.Ordinal)).Value as string ?? activity.DisplayName);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public void Dispose() => _listener.Dispose();
    }

    [PostgresFact]
    public async Task A_jobs_state_changes_write_the_same_rows_as_hangfire_postgresqls_own_transaction_in_one_command_each()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var plain = Plain(db);
        var batched = Batched(db);
        // The same state objects for both: their data carries the time they were made.
        IState enqueued = new EnqueuedState("default") { Reason = "Filed" };
        IState processing = new FixedState(ProcessingState.StateName, null, new() { ["ServerId"] = "server-1", ["WorkerId"] = "worker-1" });
        IState succeeded = new FixedState(SucceededState.StateName, "Done", new() { ["Latency"] = "12", ["PerformanceDuration"] = "34" });

        using var plainConnection = plain.GetConnection();
        var plainJob = CreateJob(plainConnection);
        Lifecycle(plainConnection, plainJob, "plain", enqueued, processing, succeeded);

        using var batchedConnection = batched.GetConnection();
        var batchedJob = CreateJob(batchedConnection);
        var database = new NpgsqlConnectionStringBuilder(db.Options.ConnectionString).Database!;
        using (var recorder = new CommandRecorder(database))
        {
            Lifecycle(batchedConnection, batchedJob, "batched", enqueued, processing, succeeded);
            // One command per state change, each carrying all of its writes.
            Assert.Equal(3, recorder.Commands.Count);
            Assert.All(recorder.Commands, sql => Assert.Contains("\"hangfire\".\"state\"", sql, StringComparison.Ordinal));
        }

        var expected = await JobRowAsync(db, plainJob);
        Assert.Equal(new JobRow("Succeeded", true, 24, 1), expected);
        Assert.Equal(expected, await JobRowAsync(db, batchedJob));
        var states = await StatesAsync(db, plainJob);
        Assert.Equal(["Enqueued", "Noted", "Processing", "Succeeded"], states.Select(s => s.Split('|')[0]));
        Assert.Equal(states, await StatesAsync(db, batchedJob));
        var counters = await CountersAsync(db, "plain");
        Assert.Equal([":down=-1|never", ":down:day=-1|48", ":succeeded=1|never", ":succeeded:day=1|24"], counters);
        Assert.Equal(counters, await CountersAsync(db, "batched"));
        // Hangfire reads the batched job back as it reads its own.
        Assert.Equal("Succeeded", batchedConnection.GetJobData(batchedJob)!.State);
        Assert.Equal(plainConnection.GetStateData(plainJob)!.Data, batchedConnection.GetStateData(batchedJob)!.Data);
    }

    [PostgresFact]
    public async Task The_last_expiry_of_a_transaction_wins_whether_or_not_a_state_change_came_before_it()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var connection = Batched(db).GetConnection();
        var jobId = CreateJob(connection);

        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.SetJobState(jobId, new FixedState("Deleted", null, []));
            transaction.ExpireJob(jobId, TimeSpan.FromHours(2));
            transaction.PersistJob(jobId);
            transaction.Commit();
        }
        Assert.Equal(new JobRow("Deleted", true, null, 0), await JobRowAsync(db, jobId));

        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.ExpireJob(jobId, TimeSpan.FromHours(3));
            transaction.Commit();
        }
        Assert.Equal(new JobRow("Deleted", true, 3, 0), await JobRowAsync(db, jobId));
    }

    [PostgresFact]
    public async Task A_batch_that_fails_writes_nothing_and_throws()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var connection = Batched(db).GetConnection();

        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.IncrementCounter("stats:before-the-failure");
            // No such job: its state's row breaks the foreign key, after the counter's insert ran.
            transaction.SetJobState("987654321", new EnqueuedState("default"));
            Assert.Throws<PostgresException>(transaction.Commit);
        }

        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM hangfire.counter WHERE key = 'stats:before-the-failure'"));
    }

    [PostgresFact]
    public async Task A_transaction_without_commit_writes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var connection = Batched(db).GetConnection();
        var jobId = CreateJob(connection);

        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.SetJobState(jobId, new EnqueuedState("default"));
            transaction.AddToQueue("default", jobId);
        }

        Assert.Equal(new JobRow(null, false, 1, 0), await JobRowAsync(db, jobId));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM hangfire.state"));
    }

    [PostgresFact]
    public async Task A_transaction_with_other_writes_goes_whole_and_in_order_through_hangfire_postgresqls_transaction()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var connection = Batched(db).GetConnection();
        var jobId = CreateJob(connection);
        var database = new NpgsqlConnectionStringBuilder(db.Options.ConnectionString).Database!;

        using (var recorder = new CommandRecorder(database))
        using (var transaction = connection.CreateWriteTransaction())
        {
            // What the delayed-job scheduler writes: a state, and the job into the schedule set.
            transaction.SetJobState(jobId, new ScheduledState(TimeSpan.FromMinutes(5)));
            transaction.AddToSet("schedule", jobId, 42);
            transaction.PersistJob(jobId);
            transaction.IncrementCounter("stats:scheduled");
            transaction.Commit();
            // Hangfire.PostgreSql's own: a command per write.
            Assert.Equal(4, recorder.Commands.Count);
        }

        Assert.Equal(new JobRow("Scheduled", true, null, 0), await JobRowAsync(db, jobId));
        Assert.Equal(42d, await db.ScalarAsync<double>("SELECT score FROM hangfire.set WHERE key = 'schedule' AND value = @jobId", new { jobId }));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM hangfire.counter WHERE key = 'stats:scheduled'"));
    }

    [PostgresFact]
    public async Task A_state_change_reads_the_job_with_its_lock_in_one_round_trip_as_hangfire_postgresql_reads_it()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var plain = Plain(db).GetConnection();
        using var connection = Batched(db).GetConnection();
        var jobId = CreateJob(plain);
        var broken = CreateJob(plain);
        foreach (var id in new[] { jobId, broken })
        {
            using var transaction = plain.CreateWriteTransaction();
            transaction.SetJobState(id, new EnqueuedState("default"));
            transaction.Commit();
        }
        // A job whose class is gone (a deployment that dropped it): both must report the load error, not throw.
        await db.ExecuteAsync("""UPDATE hangfire.job SET invocationdata = jsonb_set(invocationdata, '{Type}', '"Gone.Job, Gone"') WHERE id = @id""",
            new { id = long.Parse(broken, System.Globalization.CultureInfo.InvariantCulture) });
        var database = new NpgsqlConnectionStringBuilder(db.Options.ConnectionString).Database!;

        foreach (var id in new[] { jobId, broken })
        {
            var expected = plain.GetJobData(id)!;
            JobData actual;
            using (var recorder = new CommandRecorder(database))
            using (connection.AcquireDistributedLock($"job:{id}:state-lock", TimeSpan.FromSeconds(5)))
            {
                actual = connection.GetJobData(id)!;
                Assert.Single(recorder.Commands);
            }
            Assert.Equal(expected.State, actual.State);
            Assert.Equal(expected.CreatedAt, actual.CreatedAt);
            Assert.Equal(expected.CreatedAt.Kind, actual.CreatedAt.Kind);
            Assert.Equal(expected.Job?.Type, actual.Job?.Type);
            Assert.Equal(expected.Job?.Method, actual.Job?.Method);
            Assert.Equal(expected.Job?.Args, actual.Job?.Args);
            Assert.Equal(expected.LoadException?.Message, actual.LoadException?.Message);
        }
        Assert.NotNull(plain.GetJobData(broken)!.LoadException);
        Assert.NotNull(plain.GetJobData(jobId)!.Job);
    }

    [PostgresFact]
    public async Task The_job_read_with_its_lock_is_handed_out_once_and_only_while_the_lock_is_held()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var plain = Plain(db).GetConnection();
        using var connection = Batched(db).GetConnection();
        var jobId = CreateJob(plain);
        void SetState(IStorageConnection on, string name)
        {
            using var transaction = on.CreateWriteTransaction();
            transaction.SetJobState(jobId, new FixedState(name, null, []));
            transaction.Commit();
        }
        SetState(plain, "Enqueued");

        using (connection.AcquireDistributedLock($"job:{jobId}:state-lock", TimeSpan.FromSeconds(5)))
        {
            Assert.Equal("Enqueued", connection.GetJobData(jobId)!.State);
            // This connection's own change, under the lock: a second read sees it.
            SetState(connection, "Processing");
            Assert.Equal("Processing", connection.GetJobData(jobId)!.State);
        }
        // Taken and let go unread, then changed by another process: neither a read without the lock nor the next lock's
        // read is the old one.
        connection.AcquireDistributedLock($"job:{jobId}:state-lock", TimeSpan.FromSeconds(5)).Dispose();
        SetState(plain, "Succeeded");
        Assert.Equal("Succeeded", connection.GetJobData(jobId)!.State);
        SetState(plain, "Deleted");
        using (connection.AcquireDistributedLock($"job:{jobId}:state-lock", TimeSpan.FromSeconds(5)))
        {
            Assert.Equal("Deleted", connection.GetJobData(jobId)!.State);
        }
    }

    [Fact]
    public void Every_write_hangfire_can_ask_of_a_transaction_is_batched_or_replayed()
    {
        // Hangfire.Core 1.8 adds four transaction members that it calls only when the storage reports their feature;
        // Hangfire.PostgreSql 1.21.1 reports none of them, so they keep the base class's "not supported", as there.
        string[] featureGated = ["AcquireDistributedLock", "RemoveFromQueue", "SetJobParameter", "CreateJob"];
        var notOverridden = typeof(JobStorageTransaction).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => (m.IsVirtual || m.IsAbstract) && !m.IsFinal && m.DeclaringType != typeof(object))
            .Where(m => typeof(BatchedWriteTransaction).GetMethod(m.Name, BindingFlags.Public | BindingFlags.Instance,
                m.GetParameters().Select(p => p.ParameterType).ToArray())!.DeclaringType != typeof(BatchedWriteTransaction))
            .Select(m => m.Name)
            .ToList();

        Assert.Equal(featureGated.Order(), notOverridden.Order());
        // The batched writes and the job read with the lock write and read Hangfire.PostgreSql 1.21.1's tables themselves:
        // an upgrade must compare its SQL with the new version's first (ADR 0005, amendment "batched state changes").
        Assert.Equal("1.21.1", typeof(PostgreSqlStorage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0]);
        var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory("Host=localhost;Database=unused", options), options);
        Assert.False(storage.HasFeature(JobStorageFeatures.Transaction.AcquireDistributedLock));
        Assert.False(storage.HasFeature(JobStorageFeatures.Transaction.RemoveFromQueue(typeof(PostgreSqlFetchedJob))));
        Assert.False(storage.HasFeature(JobStorageFeatures.Transaction.SetJobParameter));
        Assert.False(storage.HasFeature(JobStorageFeatures.Transaction.CreateJob));
    }
}
