using System.Globalization;
using ClaimsOffice.Database.Audit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClaimsOffice.Worker.Audit;

/// <summary>Degraded when this process's sealer has not finished a pass for a minute (it runs every few seconds).</summary>
public sealed class AuditChainHealthCheck(AuditLog audit, AuditSealingLoop sealer, TimeProvider clock) : IHealthCheck
{
    public static readonly TimeSpan MaxSilence = TimeSpan.FromMinutes(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var backlog = await audit.GetBacklogAsync(cancellationToken);
        var summary = string.Create(CultureInfo.InvariantCulture, $"{backlog.Entries} audit entries waiting to be sealed into the chain");
        var lastPass = sealer.LastPass;
        if (clock.GetUtcNow() - lastPass > MaxSilence)
        {
            return HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture,
                $"{summary}; the sealer has not finished a pass since {lastPass:u} (runbook, \"Audit chain\")"));
        }
        return HealthCheckResult.Healthy(summary);
    }
}
