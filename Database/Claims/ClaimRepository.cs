using System.Data.Common;
using System.Globalization;
using Dapper;

namespace ClaimsOffice.Database.Claims;

public sealed record Claim
{
    public long Id { get; init; }
    public required string ClaimNumber { get; init; }
    public long CustomerId { get; init; }
    public required string Status { get; init; }
    public required string Description { get; init; }
    public long TotalAmount { get; init; }
    public required string Currency { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? AssessedAt { get; init; }
    public DateTimeOffset? DecisionDueAt { get; init; }
    public long? PaidAmount { get; init; }
    public DateTimeOffset? PaidAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A claim's states. The machine only ever moves Submitted to Paid or InReview; people do the rest.</summary>
public static class ClaimStatus
{
    public const string Submitted = "Submitted";
    public const string InReview = "InReview";
    public const string Paid = "Paid";
    public const string Rejected = "Rejected";
}

/// <summary>A disputed transaction inside a new claim, with the amount claimed for it.</summary>
public sealed record ClaimedTransaction(long TransactionId, long Amount);

/// <summary>What the review queue needs when a claim enters review: its score and its two deadlines.</summary>
public sealed record ReviewEntry(int RiskScore, DateTimeOffset FirstDueAt, DateTimeOffset FinalDueAt);

public sealed record NewClaim(long CustomerId, string Description, long TotalAmount, string Currency, DateTimeOffset SubmittedAt, IReadOnlyList<ClaimedTransaction> Transactions);

/// <summary>The claim aggregate: the claim and its disputed transactions.</summary>
public sealed class ClaimRepository(IDbConnectionFactory connections)
{
    private const string Columns = """
        id, claim_number, customer_id, status, description, total_amount, currency, submitted_at,
        assessed_at, decision_due_at, paid_amount, paid_at, updated_at
        """;

    /// <summary>
    /// Inserts the claim and its transactions inside the caller's transaction. A transaction that is
    /// already in a live claim violates <c>ux_claim_transactions_live</c>; the caller turns that into a message.
    /// </summary>
    public async Task<Claim> InsertAsync(NewClaim claim, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(tx);
        const string insert = """
            INSERT INTO claims (claim_number, customer_id, status, description, total_amount, currency, submitted_at, updated_at)
            VALUES (@Placeholder, @CustomerId, @Status, @Description, @TotalAmount, @Currency, @SubmittedAt, @SubmittedAt)
            RETURNING id
            """;
        const string number = "UPDATE claims SET claim_number = @ClaimNumber WHERE id = @Id";
        const string line = "INSERT INTO claim_transactions (claim_id, transaction_id, amount) VALUES (@ClaimId, @TransactionId, @Amount)";

        var connection = tx.Connection!;
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insert, new
        {
            Placeholder = "pending-" + Guid.NewGuid().ToString("N"),
            claim.CustomerId,
            Status = ClaimStatus.Submitted,
            claim.Description,
            claim.TotalAmount,
            claim.Currency,
            claim.SubmittedAt,
        }, tx, cancellationToken: ct));
        // Readable and ordered; the id keeps it unique. Owners are checked on every read, so guessing one reaches nothing.
        var claimNumber = FormatNumber(claim.SubmittedAt.Year, id);
        await connection.ExecuteAsync(new CommandDefinition(number, new { ClaimNumber = claimNumber, Id = id }, tx, cancellationToken: ct));
        foreach (var t in claim.Transactions)
        {
            await connection.ExecuteAsync(new CommandDefinition(line, new { ClaimId = id, t.TransactionId, t.Amount }, tx, cancellationToken: ct));
        }
        return new Claim
        {
            Id = id,
            ClaimNumber = claimNumber,
            CustomerId = claim.CustomerId,
            Status = ClaimStatus.Submitted,
            Description = claim.Description,
            TotalAmount = claim.TotalAmount,
            Currency = claim.Currency,
            SubmittedAt = claim.SubmittedAt,
            UpdatedAt = claim.SubmittedAt,
        };
    }

    public static string FormatNumber(int year, long id) =>
        string.Create(CultureInfo.InvariantCulture, $"CLM-{year:D4}-{id:D6}");

    public async Task<Claim?> GetAsync(long id, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM claims WHERE id = @id";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Claim>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    /// <summary>A claim by number, only if it belongs to the customer: someone else's claim is "not found".</summary>
    public async Task<Claim?> GetForCustomerAsync(long customerId, string claimNumber, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM claims WHERE claim_number = @claimNumber AND customer_id = @customerId";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Claim>(new CommandDefinition(sql, new { customerId, claimNumber }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Claim>> ListForCustomerAsync(long customerId, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM claims WHERE customer_id = @customerId ORDER BY submitted_at DESC, id DESC";
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<Claim>(new CommandDefinition(sql, new { customerId }, cancellationToken: ct))];
    }

    /// <summary>
    /// Moves a Submitted claim to InReview. Returns false when the claim is no longer Submitted:
    /// another run of the same job got there first (the row lock makes the loser wait, then see that).
    /// </summary>
    public Task<bool> MarkInReviewAsync(long id, DateTimeOffset assessedAt, DateTimeOffset decisionDueAt, DbTransaction tx, CancellationToken ct) =>
        MarkInReviewAsync(id, assessedAt, new ReviewEntry(0, decisionDueAt, decisionDueAt), tx, ct);

    /// <summary>As above, with the queue's ordering score and both deadlines (first decision, final decision).</summary>
    public async Task<bool> MarkInReviewAsync(long id, DateTimeOffset assessedAt, ReviewEntry review, DbTransaction tx, CancellationToken ct)
    {
        const string sql = """
            UPDATE claims SET status = @InReview, assessed_at = @assessedAt, decision_due_at = @FinalDueAt, updated_at = @assessedAt,
                   risk_score = @RiskScore, first_decision_due_at = @FirstDueAt, next_due_at = @FirstDueAt
            WHERE id = @id AND status = @Submitted
            """;
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(tx);
        var rows = await tx.Connection!.ExecuteAsync(new CommandDefinition(sql,
            new { id, assessedAt, review.FinalDueAt, review.RiskScore, review.FirstDueAt, ClaimStatus.InReview, ClaimStatus.Submitted }, tx, cancellationToken: ct));
        return rows == 1;
    }

    /// <summary>Moves a Submitted claim straight to Paid (automatic payout). False when another run got there first.</summary>
    public async Task<bool> MarkPaidAsync(long id, DateTimeOffset assessedAt, long paidAmount, DateTimeOffset paidAt, DbTransaction tx, CancellationToken ct)
    {
        const string sql = """
            UPDATE claims SET status = @Paid, assessed_at = @assessedAt, paid_amount = @paidAmount, paid_at = @paidAt, updated_at = @paidAt
            WHERE id = @id AND status = @Submitted
            """;
        ArgumentNullException.ThrowIfNull(tx);
        var rows = await tx.Connection!.ExecuteAsync(new CommandDefinition(sql,
            new { id, assessedAt, paidAmount, paidAt, ClaimStatus.Paid, ClaimStatus.Submitted }, tx, cancellationToken: ct));
        return rows == 1;
    }

    /// <summary>Claims still Submitted after a while: their assessment job was lost (a crash between commit and enqueue).</summary>
    public async Task<IReadOnlyList<long>> ListStaleSubmittedAsync(DateTimeOffset submittedBefore, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT id FROM claims WHERE status = @Submitted AND submitted_at < @submittedBefore
            ORDER BY submitted_at LIMIT @limit
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<long>(new CommandDefinition(sql,
            new { ClaimStatus.Submitted, submittedBefore, limit }, cancellationToken: ct))];
    }
}
