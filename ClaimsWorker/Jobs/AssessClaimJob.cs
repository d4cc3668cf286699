using ClaimsOffice.Worker.Assessment;
using Quartz;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>Quartz adapter: assess one claim. Failures reach Quartz; the sweep retries claims left Submitted.</summary>
public sealed class AssessClaimJob(AssessmentService assessments) : IJob
{
    public const string ClaimIdKey = "claimId";
    public const string Group = "assess-claim";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var claimId = long.Parse(context.MergedJobDataMap.GetString(ClaimIdKey)!, System.Globalization.CultureInfo.InvariantCulture);
        await assessments.AssessAsync(claimId, cancellationToken);
    }

    public static JobKey KeyFor(long claimId) => new($"claim-{claimId}", Group);
}
