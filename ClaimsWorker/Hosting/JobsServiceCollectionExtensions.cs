using ClaimsOffice.Database;
using ClaimsOffice.Worker.Intake;
using ClaimsOffice.Worker.Jobs;
using ClaimsOffice.Worker.Jobs.Storage;
using ClaimsOffice.Worker.SignIn;
using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ClaimsOffice.Worker.Hosting;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Hangfire: PostgreSQL storage shared by every process (any worker runs any job; a dead worker's jobs
    /// become visible again after <c>Worker:JobInvisibilityTimeout</c>), in-memory storage in embedded SQLite
    /// mode (the claims themselves are in the database; the sweep re-enqueues what a restart dropped).
    /// Without <c>InProcess</c> this process only enqueues: no Hangfire server, no maintenance loop.
    /// </summary>
    public static IServiceCollection AddClaimsJobs(this IServiceCollection services, DatabaseOptions database, WorkerOptions worker)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(worker);
        // Registered before AddHangfire, which then keeps it: each host its own storage, never the static JobStorage.Current.
        services.AddSingleton<JobStorage>(sp =>
        {
            // The storage logs from its constructor: give Hangfire this host's loggers first.
            GlobalConfiguration.Configuration.UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()));
            return CreateStorage(database, worker, sp.GetRequiredService<IDbConnectionFactory>());
        });
        // Before AddHangfire, which then keeps it (client, state changer and server): Hangfire's defaults less the
        // filters that cost statements on every job (ClaimsJobFilterProvider). A test or bench may register its own first.
        services.TryAddSingleton<IJobFilterProvider, ClaimsJobFilterProvider>();
        services.AddHangfire((sp, config) => config
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddSingleton<AssessClaimJob>();
        services.AddSingleton<DispatchOutboxJob>();
        services.AddSingleton<SweepSubmittedClaimsJob>();
        services.AddTransient<ReconcileLedgerJob>();
        services.AddTransient<DetectCampaignsJob>();
        services.AddSingleton(sp => new HangfireAssessmentQueue(
            sp.GetRequiredService<IBackgroundJobClient>(), worker.EffectiveJobStorageMaxPoolSize, sp.GetService<MaintenanceSignal>()));
        services.AddSingleton<IAssessmentQueue>(sp => sp.GetRequiredService<HangfireAssessmentQueue>());
        services.AddSingleton<IOutboxNudge>(sp => sp.GetRequiredService<HangfireAssessmentQueue>());
        if (worker.InProcess)
        {
            services.AddSingleton<MaintenanceSignal>();
            services.AddHangfireServer((sp, server) =>
            {
                server.WorkerCount = worker.Concurrency;
                // Polls for delayed retries; in-process enqueues and the queue's own poll are what carry claims.
                server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                server.ServerCheckInterval = TimeSpan.FromSeconds(15);
                server.ServerTimeout = TimeSpan.FromMinutes(1);
            });
            services.AddHostedService<MaintenanceLoop>();
            services.AddHostedService<RecurringJobsRegistration>();
        }
        return services;
    }

    /// <param name="lockConnections">The repositories' connections, from whose pool the PostgreSQL storage's distributed
    /// locks take their sessions (<see cref="AdvisoryLockConnection"/> says why that pool).</param>
    internal static JobStorage CreateStorage(DatabaseOptions database, WorkerOptions worker, IDbConnectionFactory lockConnections)
    {
        if (database.Provider != DatabaseProvider.Postgres)
        {
            return new InMemoryStorage(new InMemoryStorageOptions
            {
                IdType = InMemoryStorageIdType.Long,
                // Finished jobs are kept for the dashboard an hour, not the default day: memory, not disk.
                MaxExpirationTime = TimeSpan.FromHours(1),
            });
        }
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = worker.JobPollInterval,
            // Sliding: a running job keeps extending its lease, so a short timeout only bites when its worker died.
            InvisibilityTimeout = worker.JobInvisibilityTimeout,
            UseSlidingInvisibilityTimeout = true,
            // Only Hangfire.PostgreSql's own components (expiration manager, counters aggregator) still lock through its
            // lock table; such a lock outlives a killed holder by this much at most.
            DistributedLockTimeout = TimeSpan.FromSeconds(30),
        };
        var connections = new NpgsqlConnectionFactory(JobStorageConnectionString(database, worker), options);
        var storage = new PostgreSqlStorage(connections, options);
        var writes = new BatchedWrites(connections, options.SchemaName);
        // A fetch is one autocommit UPDATE … RETURNING, not BEGIN, UPDATE, COMMIT (amendment "batched state changes");
        // the dashboard's queue counts stay Hangfire.PostgreSql's.
        storage.QueueProviders.Add(
            new SingleStatementJobQueueProvider(new SingleStatementJobQueue(storage, options, writes), storage.QueueProviders.GetProvider("default")),
            SingleStatementJobQueueProvider.Queues);
        // Every other distributed lock (each job's state lock, twice per claim; the schedulers'; the maintenance loop's)
        // is a session advisory lock: no lock-table rows, no commits (ADR 0005, amendment "advisory locks"). A state
        // change's writes go as one command (amendment "batched state changes"), and so does a job's creation.
        return new AdvisoryLockStorage(storage, lockConnections, writes);
    }

    /// <summary>The repositories' connection string (with its statement preparation) and a pool of Hangfire's own, bounded.</summary>
    public static string JobStorageConnectionString(DatabaseOptions database, WorkerOptions worker)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(worker);
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = worker.EffectiveJobStorageMaxPoolSize };
        // A distinct name keeps Hangfire's pool apart from the repositories' and shows whose connections are whose.
        builder.ApplicationName = (builder.ApplicationName ?? "ClaimsOffice") + " jobs";
        // Hangfire's own bookkeeping (job rows, states, queue, locks) commits without waiting for its WAL flush: about
        // seven flushes per claim saved. A crash of PostgreSQL may forget its last fraction of a second of these, never a
        // claim or a payout (those commit on the repositories' connections, durably); a forgotten enqueue is found by the
        // sweep, a forgotten state change runs the job again, and the engine is idempotent (ADR 0005, 2026-11-26).
        builder.Options = ((builder.Options ?? "") + " -c synchronous_commit=off").TrimStart();
        return builder.ToString();
    }
}
