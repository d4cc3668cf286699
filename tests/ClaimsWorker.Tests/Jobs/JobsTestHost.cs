using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Jobs;
using Hangfire.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClaimsOffice.Worker.Tests.Jobs;

/// <summary>
/// The engine as <c>ClaimsWorker run</c> hosts it (AddClaimsWorker: Hangfire on the test database's storage,
/// the maintenance loop), started. <paramref name="filter"/> is added to this host's server only; <paramref name="settings"/>
/// are configuration entries on top; <paramref name="clock"/>, when given, replaces the system clock.
/// </summary>
internal static class JobsTestHost
{
    public static async Task<IHost> StartAsync(TestDatabase db, bool inProcess = true, object? filter = null,
        IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Worker:InProcess"] = inProcess ? "true" : "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        if (filter is not null)
        {
            // Registered before AddHangfire, which keeps it: the filter reaches this host's server and no other test's.
            builder.Services.AddSingleton<IJobFilterProvider>(sp => new ExtraFilterProvider(new ClaimsJobFilterProvider(sp.GetRequiredService<TimeProvider>()), filter));
        }
        builder.Services.AddClaimsWorker(builder.Configuration, db.Options);
        if (clock is not null)
        {
            // After AddClaimsWorker's system clock: the last registration is the one resolved.
            builder.Services.AddSingleton(clock);
        }
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private sealed class ExtraFilterProvider(ClaimsJobFilterProvider claims, object filter) : IJobFilterProvider
    {
        public IEnumerable<JobFilter> GetFilters(Job job) =>
            claims.GetFilters(job).Append(new JobFilter(filter, JobFilterScope.Global, null));
    }
}
