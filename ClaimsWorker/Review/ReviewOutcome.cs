using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Review;

namespace ClaimsOffice.Worker.Review;

public enum ReviewOutcomeKind
{
    Done,
    Paid,
    AwaitingApproval,
    /// <summary>The claim (or payout) changed since the person saw it; nothing was applied.</summary>
    Conflict,
    /// <summary>The input was refused; nothing changed.</summary>
    Invalid,
    NotFound,
    /// <summary>The person may not do this (role, limit, four eyes, someone else holds the claim).</summary>
    Forbidden,
}

/// <summary>What happened to a person's action, with the sentence to show them.</summary>
public sealed record ReviewOutcome(ReviewOutcomeKind Kind, string Message)
{
    public bool Succeeded => Kind is ReviewOutcomeKind.Done or ReviewOutcomeKind.Paid or ReviewOutcomeKind.AwaitingApproval;

    public static ReviewOutcome Done(string message) => new(ReviewOutcomeKind.Done, message);
    public static ReviewOutcome Invalid(string message) => new(ReviewOutcomeKind.Invalid, message);
    public static ReviewOutcome Forbidden(string message) => new(ReviewOutcomeKind.Forbidden, message);
    public static ReviewOutcome NotFound(string what) => new(ReviewOutcomeKind.NotFound, $"{what} was not found.");

    public static ReviewOutcome Changed(string claimNumber) => new(ReviewOutcomeKind.Conflict,
        $"Claim {claimNumber} changed since you opened it (someone else acted on it, or it was paid). Nothing was applied: reload it and decide again.");
}

internal static class ReviewClaimExtensions
{
    /// <summary>The claim as the payout path knows it.</summary>
    public static Claim ToClaim(this ReviewClaim c) => new()
    {
        Id = c.Id,
        ClaimNumber = c.ClaimNumber,
        CustomerId = c.CustomerId,
        Status = c.Status,
        Description = c.Description,
        TotalAmount = c.TotalAmount,
        Currency = c.Currency,
        SubmittedAt = c.SubmittedAt,
        AssessedAt = c.AssessedAt,
        DecisionDueAt = c.DecisionDueAt,
        PaidAmount = c.PaidAmount,
        PaidAt = c.PaidAt,
        UpdatedAt = c.UpdatedAt,
    };

    public static string Actor(this StaffMember member) => $"staff:{member.Id}";
}
