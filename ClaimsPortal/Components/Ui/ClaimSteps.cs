using ClaimsOffice.Database.Claims;

namespace ClaimsOffice.Portal.Components.Ui;

/// <summary>One step of a claim's life as a person reads it: done (with when), happening now, or still to come.</summary>
public sealed record ClaimStep(string Key, string Title, ClaimStepState State, DateTimeOffset? At, string? Detail = null);

public enum ClaimStepState
{
    Done,
    Current,
    Upcoming,
}

/// <summary>
/// The steps of a claim derived from its stored timestamps, so the timeline, the staff view and a reload all
/// tell the same story: reported, checked, then reimbursed, with a person, or rejected.
/// </summary>
public static class ClaimSteps
{
    public static IReadOnlyList<ClaimStep> For(Claim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var steps = new List<ClaimStep> { new("reported", "Reported", ClaimStepState.Done, claim.SubmittedAt) };
        switch (claim.Status)
        {
            case ClaimStatus.Submitted:
                steps.Add(new("checked", "Checking your claim", ClaimStepState.Current, null, "Our rules compare it with your account's history."));
                steps.Add(new("decided", "Decision", ClaimStepState.Upcoming, null));
                break;
            case ClaimStatus.Paid:
                steps.Add(new("checked", "Checked", ClaimStepState.Done, claim.AssessedAt ?? claim.PaidAt));
                steps.Add(new("decided", "Reimbursed to your wallet", ClaimStepState.Done, claim.PaidAt));
                break;
            case ClaimStatus.InReview:
                steps.Add(new("checked", "Checked", ClaimStepState.Done, claim.AssessedAt));
                steps.Add(new("decided", "With our support team", ClaimStepState.Current, null, "A person looks at your claim and decides by the due date."));
                break;
            case ClaimStatus.Rejected:
                steps.Add(new("checked", "Checked", ClaimStepState.Done, claim.AssessedAt));
                steps.Add(new("decided", "Rejected", ClaimStepState.Done, claim.UpdatedAt, "We wrote to you with the reason."));
                break;
            default:
                steps.Add(new("decided", claim.Status, ClaimStepState.Current, claim.UpdatedAt));
                break;
        }
        return steps;
    }
}
