using System.Data.Common;
using Dapper;

namespace ClaimsOffice.Database.Payouts;

public sealed record Payout
{
    public long Id { get; init; }
    public long ClaimId { get; init; }
    public long Amount { get; init; }
    public required string Currency { get; init; }
    public long JournalId { get; init; }
    public DateTimeOffset PaidAt { get; init; }
}

/// <summary>At most one payout per claim: the unique key on claim_id is the last line of defence against paying twice.</summary>
public sealed class PayoutRepository(IDbConnectionFactory connections)
{
    public async Task<long> InsertAsync(Payout payout, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = """
            INSERT INTO payouts (claim_id, amount, currency, journal_id, paid_at)
            VALUES (@ClaimId, @Amount, @Currency, @JournalId, @PaidAt)
            RETURNING id
            """;
        return await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(sql, payout, tx, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Payout>> ListForClaimAsync(long claimId, CancellationToken ct)
    {
        const string sql = "SELECT id, claim_id, amount, currency, journal_id, paid_at FROM payouts WHERE claim_id = @claimId";
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<Payout>(new CommandDefinition(sql, new { claimId }, cancellationToken: ct))];
    }
}
