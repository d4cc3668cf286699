using ClaimsOffice.Database.Approvals;
using ClaimsOffice.Database.Ledger;
using ClaimsOffice.Database.Review;
using ClaimsOffice.Worker.Approvals;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Worker.Review;

public static class ReviewServiceCollectionExtensions
{
    /// <summary>The review console's and finance's engine: decisions, payout approvals, campaigns, reconciliation.</summary>
    public static IServiceCollection AddClaimsReview(this IServiceCollection services)
    {
        // Bound to the "Review" section by AddClaimsWorker; tests use the defaults.
        services.AddOptions<ReviewOptions>();
        services.AddSingleton<ClaimReviewRepository>();
        services.AddSingleton<ReviewQueueRepository>();
        services.AddSingleton<StaffDirectory>();
        services.AddSingleton<CampaignRepository>();
        services.AddSingleton<PayoutApprovalRepository>();
        services.AddSingleton<LedgerReconciliationRepository>();
        services.AddSingleton<ReviewDeadlines>();
        services.AddSingleton<IReviewChangeNotifier, ReviewChangeNotifier>();
        services.AddSingleton<ReviewService>();
        services.AddSingleton<CampaignService>();
        services.AddSingleton<PayoutApprovalService>();
        services.AddSingleton<ReconciliationService>();
        return services;
    }
}
