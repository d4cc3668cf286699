using System.Data.Common;
using System.Globalization;
using ClaimsOffice.Database.Transactions;
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

/// <summary>What changes whenever a claim changes: enough to tell a watcher "look again".</summary>
public sealed record ClaimVersion
{
    public long Id { get; init; }
    public required string Status { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
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
    /// Inserts the claim, numbered in the same statement, and its transactions inside the caller's transaction:
    /// one statement on PostgreSQL, two on SQLite. A transaction that is already in a live claim violates
    /// <c>ux_claim_transactions_live</c>; the caller turns that into a message.
    /// </summary>
    public async Task<Claim> InsertAsync(NewClaim claim, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentOutOfRangeException.ThrowIfZero(claim.Transactions.Count);
        var parameters = new DynamicParameters(new
        {
            Prefix = string.Create(CultureInfo.InvariantCulture, $"CLM-{claim.SubmittedAt.Year:D4}-"),
            claim.CustomerId,
            Status = ClaimStatus.Submitted,
            claim.Description,
            claim.TotalAmount,
            claim.Currency,
            claim.SubmittedAt,
        });
        var lines = new List<string>(claim.Transactions.Count);
        for (var i = 0; i < claim.Transactions.Count; i++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"(CAST(@TransactionId{i} AS BIGINT), CAST(@Amount{i} AS BIGINT))"));
            parameters.Add($"TransactionId{i}", claim.Transactions[i].TransactionId);
            parameters.Add($"Amount{i}", claim.Transactions[i].Amount);
        }
        // The number is made from the id in the insert itself (as FormatNumber does: at least six digits), so no
        // second statement writes it. Readable and ordered; the id keeps it unique. Owners are checked on every
        // read, so guessing one reaches nothing.
        var connection = tx.Connection!;
        long id;
        if (connections.Dialect.Provider == DatabaseProvider.Postgres)
        {
            var sql = $"""
                WITH n AS (SELECT nextval(pg_get_serial_sequence('claims', 'id')) AS id),
                c AS (
                    INSERT INTO claims (id, claim_number, customer_id, status, description, total_amount, currency, submitted_at, updated_at)
                    SELECT n.id, @Prefix || lpad(n.id::text, greatest(6, length(n.id::text)), '0'), @CustomerId, @Status, @Description,
                        @TotalAmount, @Currency, @SubmittedAt, @SubmittedAt
                    FROM n
                    RETURNING id),
                t AS (
                    INSERT INTO claim_transactions (claim_id, transaction_id, amount)
                    SELECT c.id, v.transaction_id, v.amount FROM c, (VALUES {string.Join(", ", lines)}) v (transaction_id, amount))
                SELECT id FROM c
                """;
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
        }
        else
        {
            // SQLite gives a new row max(id) + 1 too, and its write transaction is exclusive: nobody takes this id meanwhile.
            const string insert = """
                INSERT INTO claims (id, claim_number, customer_id, status, description, total_amount, currency, submitted_at, updated_at)
                SELECT n.id, @Prefix || printf('%06d', n.id), @CustomerId, @Status, @Description, @TotalAmount, @Currency, @SubmittedAt, @SubmittedAt
                FROM (SELECT COALESCE(MAX(id), 0) + 1 AS id FROM claims) n
                RETURNING id
                """;
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insert, parameters, tx, cancellationToken: ct));
            parameters.Add("ClaimId", id);
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO claim_transactions (claim_id, transaction_id, amount) SELECT @ClaimId, column1, column2 FROM (VALUES {string.Join(", ", lines)})",
                parameters, tx, cancellationToken: ct));
        }
        return new Claim
        {
            Id = id,
            ClaimNumber = FormatNumber(claim.SubmittedAt.Year, id),
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
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Claim>(new CommandDefinition(GetSql, new { id }, cancellationToken: ct));
    }

    private const string GetSql = $"SELECT {Columns} FROM claims WHERE id = @id";

    /// <summary>The claim and its disputed transactions (oldest first) in one round trip; no transactions when there is no claim.</summary>
    public async Task<(Claim? Claim, IReadOnlyList<PaymentTransaction> Transactions)> GetWithTransactionsAsync(long id, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(
            GetSql + ";\n" + TransactionRepository.ForClaimSql, new { id, claimId = id }, cancellationToken: ct));
        var claim = await grid.ReadSingleOrDefaultAsync<Claim>();
        return (claim, [.. await grid.ReadAsync<PaymentTransaction>()]);
    }

    /// <summary>A claim by number, only if it belongs to the customer: someone else's claim is "not found".</summary>
    public async Task<Claim?> GetForCustomerAsync(long customerId, string claimNumber, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM claims WHERE claim_number = @claimNumber AND customer_id = @customerId";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Claim>(new CommandDefinition(sql, new { customerId, claimNumber }, cancellationToken: ct));
    }

    /// <summary>
    /// Status and last change of the given claims (the portal's claim watcher polls this): one query per
    /// 500 ids, with one parameter each, as Dapper would expand a list on SQLite but not on PostgreSQL.
    /// </summary>
    public async Task<IReadOnlyList<ClaimVersion>> ListVersionsAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }
        await using var connection = await connections.OpenAsync(ct);
        var found = new List<ClaimVersion>(ids.Count);
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            var parameters = new DynamicParameters();
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters.Add(string.Create(CultureInfo.InvariantCulture, $"i{i}"), chunk[i]);
            }
            var names = string.Join(", ", chunk.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"@i{i}")));
            found.AddRange(await connection.QueryAsync<ClaimVersion>(new CommandDefinition(
                $"SELECT id, status, updated_at FROM claims WHERE id IN ({names})", parameters, cancellationToken: ct)));
        }
        return found;
    }

    /// <summary>A customer's claims, newest first; @customerId. Also read by the assessment's batched signals query.</summary>
    internal const string ListForCustomerSql = $"SELECT {Columns} FROM claims WHERE customer_id = @customerId ORDER BY submitted_at DESC, id DESC";

    public async Task<IReadOnlyList<Claim>> ListForCustomerAsync(long customerId, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<Claim>(new CommandDefinition(ListForCustomerSql, new { customerId }, cancellationToken: ct))];
    }

    /// <summary>
    /// Moves a Submitted claim to InReview. Returns false when the claim is no longer Submitted:
    /// another run of the same job got there first (the row lock makes the loser wait, then see that).
    /// </summary>
    public Task<bool> MarkInReviewAsync(long id, DateTimeOffset assessedAt, DateTimeOffset decisionDueAt, DbTransaction tx, CancellationToken ct) =>
        MarkInReviewAsync(id, assessedAt, new ReviewEntry(0, decisionDueAt, decisionDueAt), tx, ct);

    /// <summary>As above, with the queue's ordering score and both deadlines (first decision, final decision).</summary>
    public Task<bool> MarkInReviewAsync(long id, DateTimeOffset assessedAt, ReviewEntry review, DbTransaction tx, CancellationToken ct) =>
        MoveAsync(MarkInReview(id, assessedAt, review), tx, ct);

    /// <summary>Moves a Submitted claim straight to Paid (automatic payout). False when another run got there first.</summary>
    public Task<bool> MarkPaidAsync(long id, DateTimeOffset assessedAt, long paidAmount, DateTimeOffset paidAt, DbTransaction tx, CancellationToken ct) =>
        MoveAsync(MarkPaid(id, assessedAt, paidAmount, paidAt), tx, ct);

    /// <summary>
    /// The guarded update of <see cref="MarkInReviewAsync(long, DateTimeOffset, ReviewEntry, DbTransaction, CancellationToken)"/>
    /// as a statement (an UPDATE without RETURNING), for a repository that writes with it in one statement.
    /// Its parameters: @MoveClaimId, @MoveAssessedAt, @MoveFinalDueAt, @MoveRiskScore, @MoveFirstDueAt, @MoveTo, @MoveFrom.
    /// </summary>
    public static SqlStatement MarkInReview(long id, DateTimeOffset assessedAt, ReviewEntry review)
    {
        const string sql = """
            UPDATE claims SET status = @MoveTo, assessed_at = @MoveAssessedAt, decision_due_at = @MoveFinalDueAt, updated_at = @MoveAssessedAt,
                   risk_score = @MoveRiskScore, first_decision_due_at = @MoveFirstDueAt, next_due_at = @MoveFirstDueAt
            WHERE id = @MoveClaimId AND status = @MoveFrom
            """;
        ArgumentNullException.ThrowIfNull(review);
        var parameters = MoveParameters(id, ClaimStatus.InReview, assessedAt);
        parameters.Add("MoveFinalDueAt", review.FinalDueAt);
        parameters.Add("MoveRiskScore", review.RiskScore);
        parameters.Add("MoveFirstDueAt", review.FirstDueAt);
        return new SqlStatement(sql, parameters);
    }

    /// <summary>
    /// The guarded update of <see cref="MarkPaidAsync"/> as a statement (an UPDATE without RETURNING).
    /// Its parameters: @MoveClaimId, @MoveAssessedAt, @MovePaidAmount, @MovePaidAt, @MoveTo, @MoveFrom.
    /// </summary>
    public static SqlStatement MarkPaid(long id, DateTimeOffset assessedAt, long paidAmount, DateTimeOffset paidAt)
    {
        const string sql = """
            UPDATE claims SET status = @MoveTo, assessed_at = @MoveAssessedAt, paid_amount = @MovePaidAmount, paid_at = @MovePaidAt, updated_at = @MovePaidAt
            WHERE id = @MoveClaimId AND status = @MoveFrom
            """;
        var parameters = MoveParameters(id, ClaimStatus.Paid, assessedAt);
        parameters.Add("MovePaidAmount", paidAmount);
        parameters.Add("MovePaidAt", paidAt);
        return new SqlStatement(sql, parameters);
    }

    private static DynamicParameters MoveParameters(long id, string to, DateTimeOffset assessedAt)
    {
        var parameters = new DynamicParameters();
        parameters.Add("MoveClaimId", id);
        parameters.Add("MoveTo", to);
        parameters.Add("MoveFrom", ClaimStatus.Submitted);
        parameters.Add("MoveAssessedAt", assessedAt);
        return parameters;
    }

    private static async Task<bool> MoveAsync(SqlStatement move, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return await tx.Connection!.ExecuteAsync(new CommandDefinition(move.Sql, move.Parameters, tx, cancellationToken: ct)) == 1;
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
