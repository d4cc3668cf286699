using System.Globalization;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Notifications;

namespace ClaimsOffice.Worker.Notifications;

/// <summary>The words victims receive. One dedupe key per event, so a retried job never sends twice.</summary>
public static class Messages
{
    public static OutboxMessage ClaimReceived(Claim claim) => InApp(claim, "received", claim.SubmittedAt,
        $"We received your claim {claim.ClaimNumber}",
        $"Your claim {claim.ClaimNumber} for {MoneyFormat.Format(claim.TotalAmount, claim.Currency)} is being assessed. We will tell you as soon as it is decided.");

    public static OutboxMessage ClaimPaid(Claim claim, long amount, DateTimeOffset paidAt) => InApp(claim, "paid", paidAt,
        $"Reimbursed {MoneyFormat.Format(amount, claim.Currency)}",
        string.Create(CultureInfo.InvariantCulture,
            $"We reimbursed {MoneyFormat.Format(amount, claim.Currency)} to your wallet for claim {claim.ClaimNumber}, {(paidAt - claim.SubmittedAt).TotalSeconds:0.##} s after you reported it."));

    public static OutboxMessage ClaimInReview(Claim claim, DateTimeOffset assessedAt, DateTimeOffset decisionDueAt, TimeZoneInfo zone) => InApp(claim, "in-review", assessedAt,
        $"Your claim {claim.ClaimNumber} is in review",
        $"A member of our support team will look at claim {claim.ClaimNumber} and decide by {TimeZoneInfo.ConvertTime(decisionDueAt, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}. We may contact you for more information.");

    public static OutboxMessage SignInCode(long customerId, long codeId, string phone, string code, DateTimeOffset now, TimeSpan validFor) => new()
    {
        Channel = NotificationChannels.Sms,
        Recipient = phone,
        CustomerId = customerId,
        Subject = "ClaimsOffice sign-in code",
        Body = string.Create(CultureInfo.InvariantCulture, $"Your ClaimsOffice sign-in code is {code}. It expires in {validFor.TotalMinutes:0} minutes. We will never ask you for it."),
        DedupeKey = $"sign-in-code:{codeId}",
        CreatedAt = now,
    };

    private static OutboxMessage InApp(Claim claim, string @event, DateTimeOffset now, string subject, string body) => new()
    {
        Channel = NotificationChannels.InApp,
        Recipient = $"customer:{claim.CustomerId}",
        CustomerId = claim.CustomerId,
        Subject = subject,
        Body = body,
        DedupeKey = $"claim:{claim.Id}:{@event}",
        CreatedAt = now,
    };
}
