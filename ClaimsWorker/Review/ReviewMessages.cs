using System.Globalization;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Database.Review;
using ClaimsOffice.Worker.Notifications;

namespace ClaimsOffice.Worker.Review;

/// <summary>What the victim is told when a person acts on their claim. One dedupe key per claim version acted on.</summary>
public static class ReviewMessages
{
    public static OutboxMessage Paid(ReviewClaim claim, long amount, DateTimeOffset now) => InApp(claim, "paid", now,
        $"Reimbursed {Money(amount, claim)}",
        amount == claim.TotalAmount
            ? $"We reimbursed {Money(amount, claim)} to your wallet for claim {claim.ClaimNumber}."
            : $"We reimbursed {Money(amount, claim)} of the {Money(claim.TotalAmount, claim)} you claimed to your wallet for claim {claim.ClaimNumber}. The rest was not approved.");

    public static OutboxMessage ApprovedPendingPayout(ReviewClaim claim, long amount, DateTimeOffset now) => InApp(claim, "approved", now,
        $"Your claim {claim.ClaimNumber} is approved",
        $"We approved {Money(amount, claim)} for claim {claim.ClaimNumber}. Our finance team confirms payouts of this size; the money follows shortly.");

    public static OutboxMessage Rejected(ReviewClaim claim, string reason, string text, DateTimeOffset now) => InApp(claim, "rejected", now,
        $"Your claim {claim.ClaimNumber} was not approved",
        $"We could not approve claim {claim.ClaimNumber}: {reason}. {text}".Trim());

    public static OutboxMessage InformationRequested(ReviewClaim claim, string question, DateTimeOffset now) => InApp(claim, "question", now,
        $"We need more information about claim {claim.ClaimNumber}",
        $"To decide claim {claim.ClaimNumber} we need your answer to this question: {question} Answer on your claim's page.");

    public static OutboxMessage Escalated(ReviewClaim claim, DateTimeOffset now) => InApp(claim, "escalated", now,
        $"Your claim {claim.ClaimNumber} is with a senior reviewer",
        $"A senior member of our team is now looking at claim {claim.ClaimNumber}. We will tell you as soon as it is decided.");

    public static OutboxMessage StillInReview(ReviewClaim claim, DateTimeOffset now) => InApp(claim, "back-in-review", now,
        $"Your claim {claim.ClaimNumber} is still in review",
        $"We are still checking claim {claim.ClaimNumber} before paying it. We will tell you as soon as it is decided.");

    private static string Money(long amount, ReviewClaim claim) => MoneyFormat.Format(amount, claim.Currency);

    private static OutboxMessage InApp(ReviewClaim claim, string @event, DateTimeOffset now, string subject, string body) => new()
    {
        Channel = NotificationChannels.InApp,
        Recipient = $"customer:{claim.CustomerId}",
        CustomerId = claim.CustomerId,
        Subject = subject,
        Body = body,
        // The version the action was taken on: one message per action, even when the same kind repeats later.
        DedupeKey = string.Create(CultureInfo.InvariantCulture, $"claim:{claim.Id}:{@event}:v{claim.Version}"),
        CreatedAt = now,
    };
}
