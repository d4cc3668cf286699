using ClaimsOffice.Database.Migrations;
using ClaimsOffice.Worker.Assessment.RuleSets;
using Microsoft.Extensions.Hosting;

namespace ClaimsOffice.Worker.Hosting;

/// <summary>Brings the schema up to date, and gives a new database its built-in rule set, before anything else starts (embedded mode and worker hosts).</summary>
public sealed class MigrateOnStart(Migrator migrator, ActiveRuleSet ruleSets) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(false, cancellationToken);
        await ruleSets.SeedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
