using ClaimsOffice.Database.Claims;

namespace ClaimsOffice.Portal.Tests.Support;

/// <summary>A claim as the database returns it, for component tests that need no database: ¥19,600 over two payments, claim 42.</summary>
public static class SampleClaim
{
    public static Claim With(string status, DateTimeOffset submittedAt) => new()
    {
        Id = 42,
        ClaimNumber = "CLM-2026-000042",
        CustomerId = 7,
        Status = status,
        Description = "Not me",
        TotalAmount = 19_600,
        Currency = "JPY",
        SubmittedAt = submittedAt,
        UpdatedAt = submittedAt,
    };
}
