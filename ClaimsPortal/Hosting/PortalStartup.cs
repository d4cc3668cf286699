using ClaimsOffice.Database.Migrations;
using ClaimsOffice.Worker.Assessment.RuleSets;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Seeding;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Portal.Hosting;

/// <summary>Migrates the schema, seeds demo data on first start (embedded mode), and tells the person at the console where to go.</summary>
public sealed class PortalStartup(
    Migrator migrator,
    IServiceProvider services,
    IConfiguration configuration,
    IOptions<WorkerOptions> worker,
    IHostApplicationLifetime lifetime,
    IServer server,
    IEnumerable<IWelcomeLines> moreWelcome,
    ILogger<PortalStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var migrations = await migrator.MigrateAsync(false, cancellationToken);
        if (migrations.Applied.Count > 0)
        {
            logger.LogInformation("Applied {Count} migration(s)", migrations.Applied.Count);
        }
        await services.GetRequiredService<ActiveRuleSet>().SeedAsync(cancellationToken);
        SeedReport? seed = null;
        if (configuration.GetValue<bool>("Portal:SeedDemoData"))
        {
            var seeder = ActivatorUtilities.CreateInstance<DemoDataSeeder>(services);
            seed = await seeder.SeedAsync(new DemoSeedOptions(), cancellationToken);
            if (!seed.AlreadySeeded)
            {
                // Some demo victims have already reported, so the staff queue and campaign page have work to show.
                await ActivatorUtilities.CreateInstance<DemoClaims>(services).FileAsync(seed, cancellationToken);
            }
        }
        lifetime.ApplicationStarted.Register(() => PrintWelcome(seed));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void PrintWelcome(SeedReport? seed)
    {
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
        var lines = new List<string> { "", $"ClaimsOffice is running at {url}", $"  Victims sign in at {url}/me/sign-in with a phone number or e-mail address." };
        if (worker.Value.UseDevelopmentMailbox)
        {
            lines.Add($"  No SMS gateway in embedded mode: sign-in codes arrive in the development inbox at {url}/dev/inbox");
        }
        if (seed is not null)
        {
            lines.Add("  Demo victims:");
            lines.AddRange(seed.Victims.Select(v => $"    {v.Email,-28} {v.Phone,-15} {v.Kind}"));
        }
        lines.AddRange(moreWelcome.SelectMany(w => w.Lines(url)));
        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}

/// <summary>More lines for the start-up welcome (how staff sign in, say), printed after the portal's own.</summary>
public interface IWelcomeLines
{
    IEnumerable<string> Lines(string url);
}
