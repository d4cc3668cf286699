using ClaimsOffice.Database;
using ClaimsOffice.Database.Claims;

namespace ClaimsOffice.TestKit.Builders;

/// <summary>A Submitted claim of one payment, written straight through the repository (no intake, no audit).</summary>
public static class SubmittedClaims
{
    public static async Task<Claim> InsertAsync(IDbConnectionFactory connections, long customerId, long amount, DateTimeOffset submittedAt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(connections);
        var transaction = await new TransactionBuilder(customerId).Payment(amount).At(submittedAt.AddHours(-1)).InsertAsync(connections, ct);
        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var claim = await new ClaimRepository(connections).InsertAsync(
            new NewClaim(customerId, "Not me", amount, "JPY", submittedAt, [new ClaimedTransaction(transaction.Id, amount)]), tx, ct);
        await tx.CommitAsync(ct);
        return claim;
    }
}
