using ClaimsOffice.Database;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;
using Quartz.Extensibility;

namespace ClaimsOffice.Worker.Hosting;

/// <summary>
/// Quartz has no wake-up across processes: a job enqueued by the portal waits for a worker's next poll
/// (about 500 ms on average). A trigger on Quartz's table NOTIFYs on every insert, and each worker
/// LISTENs and wakes its scheduler, which brings the wait to a few milliseconds.
/// </summary>
public sealed class PostgresSchedulerWakeup(
    DatabaseOptions database,
    ISchedulerFactory schedulers,
    ISchedulerSignaler signaler,
    ILogger<PostgresSchedulerWakeup> logger) : BackgroundService
{
    public const string Channel = "claims_scheduler_wake";

    private const string InstallTriggerSql = $"""
        SELECT pg_advisory_xact_lock(7240003);
        CREATE OR REPLACE FUNCTION claims_scheduler_wake() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{Channel}', '');
            RETURN NULL;
        END $$;
        CREATE OR REPLACE TRIGGER claims_scheduler_wake AFTER INSERT ON qrtz_triggers
            FOR EACH STATEMENT EXECUTE FUNCTION claims_scheduler_wake();
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Polling still works without the wake-up; try again shortly.
                logger.LogWarning(ex, "Scheduler wake-up listener failed; retrying in 2 s");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        while (scheduler.Status != SchedulerStatus.Running)
        {
            await Task.Delay(200, ct);
        }
        // A connection of its own, never returned to the pool: pooled connections are not reset, and it would still be listening.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(InstallTriggerSql, transaction: tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        connection.Notification += (_, _) => _ = signaler.SignalSchedulingChange(null, CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition($"LISTEN {Channel}", cancellationToken: ct));
        logger.LogInformation("Listening on {Channel} for new jobs", Channel);
        while (!ct.IsCancellationRequested)
        {
            await connection.WaitAsync(ct);
        }
    }
}
