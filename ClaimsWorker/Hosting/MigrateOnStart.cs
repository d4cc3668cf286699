using ClaimsOffice.Database.Migrations;
using Microsoft.Extensions.Hosting;

namespace ClaimsOffice.Worker.Hosting;

/// <summary>Brings the schema up to date before anything else starts (embedded mode and worker hosts).</summary>
public sealed class MigrateOnStart(Migrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(false, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
