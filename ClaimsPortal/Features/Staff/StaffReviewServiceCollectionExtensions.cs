using ClaimsOffice.Portal.Features.Staff.Claims;

namespace ClaimsOffice.Portal.Features.Staff;

public static class StaffReviewServiceCollectionExtensions
{
    /// <summary>What the review console's and finance's pages read with (the engine services come from AddClaimsWorker).</summary>
    public static IServiceCollection AddStaffReviewPages(this IServiceCollection services)
    {
        services.AddSingleton<ClaimFileQuery>();
        services.AddSingleton<ClaimsOffice.Database.Reports.StaffReportRepository>();
        services.AddSingleton<Dashboard.DashboardQuery>();
        return services;
    }
}
