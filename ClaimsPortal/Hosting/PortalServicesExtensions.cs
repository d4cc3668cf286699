using ClaimsOffice.Database;
using ClaimsOffice.Portal.Features.ClaimWatch;
using ClaimsOffice.Portal.Features.Staff;
using ClaimsOffice.Portal.Features.Victim;
using ClaimsOffice.Worker.Hosting;

namespace ClaimsOffice.Portal.Hosting;

public static class PortalServicesExtensions
{
    /// <summary>
    /// Embedded mode is the default: no provider configured means a SQLite file in the app's data folder,
    /// the worker in this process, demo data on first start, and SMS/e-mail into the development inbox.
    /// </summary>
    public static WebApplicationBuilder AddClaimsPortal(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        // Package assets (blazor.web.js, MudBlazor's css/js) are served from the build's static-web-assets
        // manifest when not published; by default only Development reads it, and `dotnet run` or a test
        // process in Production would answer 404 for them. A published app has them in wwwroot instead.
        builder.WebHost.UseStaticWebAssets();
        var embedded = DatabaseOptions.ParseProvider(configuration[DatabaseServiceCollectionExtensions.ProviderKey]) == DatabaseProvider.Sqlite;
        if (embedded)
        {
            var dataFolder = EmbeddedDatabase.DataFolder(configuration[EmbeddedDatabase.DataFolderKey], builder.Environment.ContentRootPath);
            Directory.CreateDirectory(dataFolder);
            configuration.AddInMemoryCollection(Defaults(configuration, new()
            {
                ["ConnectionStrings:Claims"] = EmbeddedDatabase.ConnectionString(dataFolder),
                ["Worker:InProcess"] = "true",
                ["Worker:UseDevelopmentMailbox"] = "true",
                ["Portal:SeedDemoData"] = "true",
            }));
        }
        if (embedded && string.IsNullOrWhiteSpace(configuration[PortalDataProtectionExtensions.KeysFolderKey]))
        {
            configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [PortalDataProtectionExtensions.KeysFolderKey] = PortalDataProtectionExtensions.EmbeddedKeysFolder(configuration.GetConnectionString("Claims")!),
            });
        }
        builder.Services.AddPortalDataProtection(configuration);
        var database = configuration.ReadDatabaseOptions();
        // Schema first: hosted services start in registration order, and the jobs need the tables.
        builder.Services.AddHostedService<PortalStartup>();
        builder.Services.AddClaimsWorker(configuration, database);
        builder.Services.AddSingleton<ClaimStatusQuery>();
        // Pushes claim changes to open claim pages (docs/adr/0006); after PortalStartup, which migrates.
        builder.Services.AddOptions<ClaimWatchOptions>().Bind(configuration.GetSection(ClaimWatchOptions.Section));
        builder.Services.AddSingleton<ClaimChangeWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClaimChangeWatcher>());
        builder.Services.AddStaffReviewPages();
        return builder;
    }

    /// <summary>Only the keys the user has not set: configuration they give always wins.</summary>
    private static Dictionary<string, string?> Defaults(IConfiguration configuration, Dictionary<string, string?> defaults) =>
        defaults.Where(d => string.IsNullOrEmpty(configuration[d.Key])).ToDictionary(d => d.Key, d => d.Value);
}
