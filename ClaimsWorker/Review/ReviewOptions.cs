namespace ClaimsOffice.Worker.Review;

/// <summary>Review deadlines and bulk limits, bound from the <c>Review</c> configuration section.</summary>
public sealed class ReviewOptions
{
    public const string Section = "Review";

    /// <summary>Time from entering review to the first decision (or question to the victim).</summary>
    public TimeSpan FirstDecision { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Business days from the report to the final decision (Regulation E's provisional-credit clock).</summary>
    public int FinalDecisionBusinessDays { get; set; } = 10;

    /// <summary>The queue's "due soon" window.</summary>
    public TimeSpan DueSoon { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Claims that share one attacker signal before they count as a campaign.</summary>
    public int CampaignMinimumClaims { get; set; } = 3;

    /// <summary>How often the workers look for new campaigns (docs/runbook.md); zero leaves it to the Campaigns page.</summary>
    public TimeSpan CampaignDetectionInterval { get; set; } = TimeSpan.FromMinutes(1);
}
