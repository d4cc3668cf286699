using ClaimsOffice.Portal.Features.Staff;
using Hangfire;

namespace ClaimsOffice.Portal.Hosting;

public static class JobsDashboardExtensions
{
    public const string Path = "/staff/jobs";

    /// <summary>
    /// Hangfire's dashboard at /staff/jobs over this process's job storage: queued, running, failed jobs, and
    /// the Requeue button for a failed one (runbook, "Failed jobs"). Only administrators who passed two-factor
    /// open it (<see cref="StaffPolicies.Admin"/>, checked by ASP.NET Core authorization on the staff cookie):
    /// no staff session goes to the staff sign-in, a victim's session or another role gets 403.
    /// </summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Hangfire's configuration first: it points Hangfire's static logging at this host's logger factory,
        // which the storage uses as it is built (with several hosts in one process, as in tests, an older one may be disposed).
        _ = app.Services.GetRequiredService<IGlobalConfiguration>();
        return app.MapHangfireDashboardWithAuthorizationPolicy(StaffPolicies.Admin, Path, new DashboardOptions
        {
            DisplayStorageConnectionString = false,
            DashboardTitle = "ClaimsOffice jobs",
            AppPath = "/staff",
        }, app.Services.GetRequiredService<JobStorage>());
    }
}
