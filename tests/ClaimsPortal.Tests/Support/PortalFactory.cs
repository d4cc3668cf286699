using ClaimsOffice.TestKit.Databases;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ClaimsOffice.Portal.Tests.Support;

/// <summary>The real portal over a test database, with the worker in-process and SMS going to the development inbox.</summary>
public sealed class PortalFactory(TestDatabase database) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", database.Kind.ToString());
        builder.UseSetting("ConnectionStrings:Claims", database.ConnectionString);
        builder.UseSetting("Worker:InProcess", "true");
        builder.UseSetting("Worker:UseDevelopmentMailbox", "true");
        builder.UseSetting("Worker:OutboxInterval", "00:00:00.200");
        builder.UseSetting("Portal:SeedDemoData", "false");
    }
}
