using System.Globalization;
using ClaimsOffice.Database;
using Dapper;
using Hangfire;
using Hangfire.Storage.Monitoring;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

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

/// <summary>
/// The job engine as an operator needs it: Degraded when jobs failed all their retries (see the runbook:
/// requeue them from /staff/jobs) or when no worker is running to take the queued claims.
/// </summary>
public sealed class JobsHealthCheck(JobStorage storage, IOptions<WorkerOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        StatisticsDto stats;
        try
        {
            stats = storage.GetMonitoringApi().GetStatistics();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Job storage unreachable: {ex.Message}"));
        }
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{(options.Value.InProcess ? "worker" : "enqueue only")}; {stats.Servers} server(s), {stats.Enqueued} enqueued, {stats.Processing} processing, {stats.Failed} failed");
        if (stats.Failed > 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"{summary}: failed jobs need a look (dashboard /staff/jobs, runbook \"Failed jobs\")"));
        }
        if (stats.Servers == 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"{summary}: no worker is running, claims wait in the queue"));
        }
        return Task.FromResult(HealthCheckResult.Healthy(summary));
    }
}
