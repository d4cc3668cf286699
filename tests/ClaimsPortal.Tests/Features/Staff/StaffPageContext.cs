using System.Globalization;
using System.Security.Claims;
using Bunit;
using ClaimsOffice.Database.Approvals;
using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Review;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Portal.Features.Staff.Claims;
using ClaimsOffice.Portal.Features.Staff.Identity;
using ClaimsOffice.TestKit;
using ClaimsOffice.Worker.Review;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Features.Staff;

internal static class StaffPageContext
{
    /// <summary>Gives a bUnit context the engine's review services (one engine, one database) and signs in a staff member.</summary>
    public static void UseEngine(this BunitContext context, EngineHost engine, long staffId, string name)
    {
        context.Services.AddSingleton(engine.GetRequiredService<ReviewQueueRepository>());
        context.Services.AddSingleton(engine.GetRequiredService<ReviewService>());
        context.Services.AddSingleton(engine.GetRequiredService<IReviewChangeNotifier>());
        context.Services.AddSingleton(engine.GetRequiredService<TimeProvider>());
        context.Services.AddSingleton(new ClaimFileQuery(
            engine.GetRequiredService<ClaimReviewRepository>(),
            engine.GetRequiredService<AssessmentRepository>(),
            engine.GetRequiredService<TransactionRepository>(),
            engine.GetRequiredService<CustomerRepository>(),
            engine.GetRequiredService<PayoutApprovalRepository>(),
            engine.GetRequiredService<AuditLog>()));
        context.AddAuthorization().SetAuthorized(name).SetClaims(
            new Claim(ClaimTypes.NameIdentifier, staffId.ToString(CultureInfo.InvariantCulture)),
            new Claim(StaffClaimsPrincipalFactory.DisplayNameClaim, name));
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }
}
