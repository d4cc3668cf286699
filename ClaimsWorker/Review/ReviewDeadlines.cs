using ClaimsOffice.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Worker.Review;

/// <summary>The two clocks of a claim in review: a first decision within hours, a final one within business days.</summary>
public sealed class ReviewDeadlines(IOptions<ReviewOptions> review, IOptions<WorkerOptions> worker)
{
    private readonly TimeZoneInfo _zone = TimeZones.Find(worker.Value.TimeZone);

    public DateTimeOffset FirstDecisionDue(DateTimeOffset enteredReviewAt) => enteredReviewAt + review.Value.FirstDecision;

    /// <summary>
    /// The report time plus N business days, counted in the zone people work in (weekends skipped;
    /// public holidays are not modelled), at the same time of day.
    /// </summary>
    public DateTimeOffset FinalDecisionDue(DateTimeOffset submittedAt)
    {
        var local = TimeZoneInfo.ConvertTime(submittedAt, _zone);
        var remaining = review.Value.FinalDecisionBusinessDays;
        while (remaining > 0)
        {
            local = local.AddDays(1);
            if (local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                remaining--;
            }
        }
        return local.ToUniversalTime();
    }
}
