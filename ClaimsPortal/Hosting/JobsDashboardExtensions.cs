using ClaimsOffice.Database;
using Hangfire;
using Hangfire.Dashboard;

namespace ClaimsOffice.Portal.Hosting;

public static class JobsDashboardExtensions
{
    public const string Path = "/staff/jobs";

    /// <summary>
    /// Hangfire's dashboard at /staff/jobs over this process's job storage: queued, running, failed jobs, and
    /// the Requeue button for a failed one (runbook, "Failed jobs"). Who may open it: <see cref="JobsDashboardAccess"/>.
    /// </summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var database = app.Services.GetRequiredService<DatabaseOptions>();
        return app.MapHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [new JobsDashboardAccess(embedded: database.Provider == DatabaseProvider.Sqlite)],
            DisplayStorageConnectionString = false,
            DashboardTitle = "ClaimsOffice jobs",
            AppPath = "/",
        }, app.Services.GetRequiredService<JobStorage>());
    }
}

/// <summary>
/// The one place that decides who sees the jobs dashboard. Until staff sign-in guards it (the Admin policy,
/// StaffPolicies.Admin), only a request from this machine in embedded mode; everyone else gets 401.
/// </summary>
public sealed class JobsDashboardAccess(bool embedded) : IDashboardAuthorizationFilter
{
    private static readonly LocalRequestsOnlyAuthorizationFilter LocalOnly = new();

    public bool Authorize(DashboardContext context) => embedded && LocalOnly.Authorize(context);
}
