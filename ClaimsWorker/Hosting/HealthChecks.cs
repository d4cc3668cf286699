using ClaimsOffice.Database;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Quartz;

namespace ClaimsOffice.Worker.Hosting;

public sealed class DatabaseHealthCheck(IDbConnectionFactory connections) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            var migrations = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_migrations", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy($"{connections.Dialect.Provider}, {migrations} migrations applied");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{connections.Dialect.Provider} unreachable: {ex.Message}");
        }
    }
}

public sealed class SchedulerHealthCheck(ISchedulerFactory schedulers, IOptions<WorkerOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        if (!options.Value.InProcess)
        {
            return HealthCheckResult.Healthy($"Enqueue only (jobs run on separate workers); scheduler {scheduler.Status}");
        }
        return scheduler.Status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy($"Running as {scheduler.SchedulerInstanceId}")
            : HealthCheckResult.Unhealthy($"Scheduler is {scheduler.Status}");
    }
}
