using System.Data.Common;
using System.Text;
using Dapper;

namespace ClaimsOffice.Database.Review;

/// <summary>A claim as people work on it: the claim row with its review columns.</summary>
public sealed record ReviewClaim
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
    public DateTimeOffset? FirstDecisionDueAt { get; init; }
    public DateTimeOffset? FirstDecidedAt { get; init; }
    public DateTimeOffset? NextDueAt { get; init; }
    public long? PaidAmount { get; init; }
    public DateTimeOffset? PaidAt { get; init; }
    public int RiskScore { get; init; }
    public int Version { get; init; }
    public long? AssignedTo { get; init; }
    public string? AssignedToName { get; init; }
    public DateTimeOffset? AssignedAt { get; init; }
    public long? CampaignId { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A disputed transaction of a claim, with the amount claimed for it.</summary>
public sealed record DisputedLine
{
    public long TransactionId { get; init; }
    public required string Reference { get; init; }
    public required string Kind { get; init; }
    public long ClaimedAmount { get; init; }
    public required string Currency { get; init; }
    public string? MerchantName { get; init; }
    public string? Counterparty { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public string? DeviceFingerprint { get; init; }
    public string? IpAddress { get; init; }

    public string Payee => MerchantName ?? Counterparty ?? Kind;
}

public sealed record ClaimNote(long Id, long ClaimId, long AuthorId, string AuthorName, string Body, DateTimeOffset CreatedAt);

public sealed record ClaimQuestion
{
    public long Id { get; init; }
    public long ClaimId { get; init; }
    public long AskedBy { get; init; }
    public required string Question { get; init; }
    public DateTimeOffset AskedAt { get; init; }
    public string? Answer { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
}

public sealed record DecisionLine(long TransactionId, long ApprovedAmount);

public sealed record NewDecision(long ClaimId, long DecidedBy, string Kind, string? ReasonCode, string? ReasonText, long? ApprovedAmount, int ClaimVersion, DateTimeOffset DecidedAt, IReadOnlyList<DecisionLine> Lines);

public sealed record ClaimDecision
{
    public long Id { get; init; }
    public long ClaimId { get; init; }
    public long DecidedBy { get; init; }
    public required string DecidedByName { get; init; }
    public required string Kind { get; init; }
    public string? ReasonCode { get; init; }
    public string? ReasonText { get; init; }
    public long? ApprovedAmount { get; init; }
    public int ClaimVersion { get; init; }
    public DateTimeOffset DecidedAt { get; init; }
}

/// <summary>
/// A guarded change of a claim's state: applied only when the claim is still at <see cref="ExpectedVersion"/>
/// (when given), in one of <see cref="From"/>, and held by <see cref="Assignee"/> (when given).
/// </summary>
public sealed record ClaimTransition
{
    public long ClaimId { get; init; }
    public int? ExpectedVersion { get; init; }
    public long? Assignee { get; init; }
    public required IReadOnlyList<string> From { get; init; }
    public required string To { get; init; }
    public DateTimeOffset Now { get; init; }
    /// <summary>Counts as the claim's first decision (stops the first-decision clock).</summary>
    public bool IsDecision { get; init; }
    public DateTimeOffset? NextDueAt { get; init; }
    /// <summary>Keep the claim with whoever holds it (false: it goes back to the queue unassigned).</summary>
    public bool KeepAssignment { get; init; }
    public long? PaidAmount { get; init; }
    /// <summary>With <see cref="Assignee"/>: also accept a claim nobody holds (bulk actions on a campaign).</summary>
    public bool AllowUnassigned { get; init; }
}

/// <summary>The claim aggregate as people review it: its review state, notes, decisions and questions to the victim.</summary>
public sealed class ClaimReviewRepository(IDbConnectionFactory connections)
{
    private const string Columns = """
        c.id, c.claim_number, c.customer_id, c.status, c.description, c.total_amount, c.currency, c.submitted_at,
        c.assessed_at, c.decision_due_at, c.first_decision_due_at, c.first_decided_at, c.next_due_at, c.paid_amount,
        c.paid_at, c.risk_score, c.version, c.assigned_to, s.display_name AS assigned_to_name, c.assigned_at,
        c.campaign_id, c.updated_at
        """;

    private const string From = "FROM claims c LEFT JOIN staff_users s ON s.id = c.assigned_to";

    public async Task<ReviewClaim?> GetAsync(long id, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} {From} WHERE c.id = @id";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ReviewClaim>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    public async Task<ReviewClaim?> GetByNumberAsync(string claimNumber, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} {From} WHERE c.claim_number = @claimNumber";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ReviewClaim>(new CommandDefinition(sql, new { claimNumber }, cancellationToken: ct));
    }

    /// <summary>Reads the claim inside a transaction (the state a decision is checked against).</summary>
    public async Task<ReviewClaim?> GetAsync(long id, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = $"SELECT {Columns} {From} WHERE c.id = @id";
        return await tx.Connection!.QuerySingleOrDefaultAsync<ReviewClaim>(new CommandDefinition(sql, new { id }, tx, cancellationToken: ct));
    }

    /// <summary>The victim and how to reach them.</summary>
    public async Task<ClaimsOffice.Database.Customers.Customer?> GetVictimAsync(long customerId, CancellationToken ct)
    {
        const string sql = "SELECT id, full_name, email, phone, created_at FROM customers WHERE id = @customerId";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ClaimsOffice.Database.Customers.Customer>(new CommandDefinition(sql, new { customerId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<DisputedLine>> ListDisputedAsync(long claimId, CancellationToken ct)
    {
        const string sql = """
            SELECT t.id AS transaction_id, t.reference, t.kind, ct.amount AS claimed_amount, t.currency, m.name AS merchant_name,
                   t.counterparty, t.occurred_at, t.device_fingerprint, t.ip_address
            FROM claim_transactions ct
            JOIN transactions t ON t.id = ct.transaction_id
            LEFT JOIN merchants m ON m.id = t.merchant_id
            WHERE ct.claim_id = @claimId
            ORDER BY t.occurred_at, t.id
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<DisputedLine>(new CommandDefinition(sql, new { claimId }, cancellationToken: ct))];
    }

    /// <summary>
    /// Other claims (any state) whose disputed transactions share a device, IP or payee with this claim's, newest first:
    /// this claim's signals, then one primary-key range of <c>claim_signals</c> per signal, and only the page of claims is read.
    /// </summary>
    public async Task<IReadOnlyList<RelatedClaim>> ListRelatedAsync(long claimId, int limit, CancellationToken ct)
    {
        const string sql = $"""
            WITH mine AS (
                SELECT CAST('{CampaignSignals.Device}' AS TEXT) AS kind, t.device_fingerprint AS value
                FROM claim_transactions ct JOIN transactions t ON t.id = ct.transaction_id
                WHERE ct.claim_id = @claimId AND t.device_fingerprint IS NOT NULL
                UNION SELECT '{CampaignSignals.Ip}', t.ip_address
                FROM claim_transactions ct JOIN transactions t ON t.id = ct.transaction_id
                WHERE ct.claim_id = @claimId AND t.ip_address IS NOT NULL
                UNION SELECT '{CampaignSignals.Payee}', t.counterparty
                FROM claim_transactions ct JOIN transactions t ON t.id = ct.transaction_id
                WHERE ct.claim_id = @claimId AND t.counterparty IS NOT NULL
            ), linked AS (
                -- claim_signals holds the signals of disputed transactions only (migration 0014), so a payee that
                -- thousands of ordinary payments went to costs one index range over the claims that disputed it.
                SELECT DISTINCT s.claim_id, s.kind, s.value
                FROM mine m JOIN claim_signals s ON s.kind = m.kind AND s.value = m.value
                WHERE s.claim_id <> @claimId
                ORDER BY s.claim_id DESC, s.kind, s.value
                LIMIT @limit
            )
            SELECT c.id, c.claim_number, c.status, l.kind AS signal_kind, l.value AS signal_value, c.total_amount, c.currency
            FROM linked l JOIN claims c ON c.id = l.claim_id
            ORDER BY c.id DESC, l.kind, l.value
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<RelatedClaim>(new CommandDefinition(sql, new { claimId, limit }, cancellationToken: ct))];
    }

    /// <summary>Takes an unassigned open claim for <paramref name="staffId"/>. False when someone else took it or it changed.</summary>
    public async Task<bool> TryAssignAsync(long claimId, int expectedVersion, long staffId, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var sql = $"""
            UPDATE claims SET assigned_to = @staffId, assigned_at = @now, version = version + 1, updated_at = @now
            WHERE id = @claimId AND version = @expectedVersion AND assigned_to IS NULL AND status IN {ReviewStatus.SqlList(ReviewStatus.Decidable)}
            """;
        return await tx.Connection!.ExecuteAsync(new CommandDefinition(sql,
            new { claimId, expectedVersion, staffId, now }, tx, cancellationToken: ct)) == 1;
    }

    /// <summary>Gives a claim back to the queue. Only its holder can, and only on the version they saw.</summary>
    public async Task<bool> TryUnassignAsync(long claimId, int expectedVersion, long staffId, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = """
            UPDATE claims SET assigned_to = NULL, assigned_at = NULL, version = version + 1, updated_at = @now
            WHERE id = @claimId AND version = @expectedVersion AND assigned_to = @staffId
            """;
        return await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { claimId, expectedVersion, staffId, now }, tx, cancellationToken: ct)) == 1;
    }

    /// <summary>Applies a guarded state change; false when the claim is no longer as the caller saw it (nothing changed).</summary>
    public async Task<bool> TryTransitionAsync(ClaimTransition change, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(tx);
        var sql = new StringBuilder("UPDATE claims SET status = @To, version = version + 1, updated_at = @Now");
        if (change.IsDecision)
        {
            sql.Append(", first_decided_at = COALESCE(first_decided_at, @Now)");
        }
        if (change.NextDueAt is not null)
        {
            sql.Append(", next_due_at = @NextDueAt");
        }
        if (!change.KeepAssignment)
        {
            sql.Append(", assigned_to = NULL, assigned_at = NULL");
        }
        if (change.PaidAmount is not null)
        {
            sql.Append(", paid_amount = @PaidAmount, paid_at = @Now");
        }
        sql.Append(" WHERE id = @ClaimId AND status IN ").Append(ReviewStatus.SqlList(change.From));
        if (change.ExpectedVersion is not null)
        {
            sql.Append(" AND version = @ExpectedVersion");
        }
        if (change.Assignee is not null)
        {
            sql.Append(change.AllowUnassigned ? " AND (assigned_to = @Assignee OR assigned_to IS NULL)" : " AND assigned_to = @Assignee");
        }
        return await tx.Connection!.ExecuteAsync(new CommandDefinition(sql.ToString(), change, tx, cancellationToken: ct)) == 1;
    }

    public async Task<long> InsertDecisionAsync(NewDecision decision, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(tx);
        const string insert = """
            INSERT INTO claim_decisions (claim_id, decided_by, kind, reason_code, reason_text, approved_amount, claim_version, decided_at)
            VALUES (@ClaimId, @DecidedBy, @Kind, @ReasonCode, @ReasonText, @ApprovedAmount, @ClaimVersion, @DecidedAt)
            RETURNING id
            """;
        const string line = "INSERT INTO claim_decision_lines (decision_id, transaction_id, approved_amount) VALUES (@DecisionId, @TransactionId, @ApprovedAmount)";
        var connection = tx.Connection!;
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insert, decision, tx, cancellationToken: ct));
        foreach (var l in decision.Lines)
        {
            await connection.ExecuteAsync(new CommandDefinition(line, new { DecisionId = id, l.TransactionId, l.ApprovedAmount }, tx, cancellationToken: ct));
        }
        return id;
    }

    public async Task<IReadOnlyList<ClaimDecision>> ListDecisionsAsync(long claimId, CancellationToken ct)
    {
        const string sql = """
            SELECT d.id, d.claim_id, d.decided_by, s.display_name AS decided_by_name, d.kind, d.reason_code, d.reason_text,
                   d.approved_amount, d.claim_version, d.decided_at
            FROM claim_decisions d JOIN staff_users s ON s.id = d.decided_by
            WHERE d.claim_id = @claimId ORDER BY d.id
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<ClaimDecision>(new CommandDefinition(sql, new { claimId }, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<DecisionLine>> ListDecisionLinesAsync(long decisionId, CancellationToken ct)
    {
        const string sql = "SELECT transaction_id, approved_amount FROM claim_decision_lines WHERE decision_id = @decisionId ORDER BY transaction_id";
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<DecisionLine>(new CommandDefinition(sql, new { decisionId }, cancellationToken: ct))];
    }

    public async Task<long> InsertNoteAsync(long claimId, long authorId, string body, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = "INSERT INTO claim_notes (claim_id, author_id, body, created_at) VALUES (@claimId, @authorId, @body, @now) RETURNING id";
        return await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { claimId, authorId, body, now }, tx, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ClaimNote>> ListNotesAsync(long claimId, CancellationToken ct)
    {
        const string sql = """
            SELECT n.id, n.claim_id, n.author_id, s.display_name AS author_name, n.body, n.created_at
            FROM claim_notes n JOIN staff_users s ON s.id = n.author_id WHERE n.claim_id = @claimId ORDER BY n.id
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<ClaimNote>(new CommandDefinition(sql, new { claimId }, cancellationToken: ct))];
    }

    public async Task<long> InsertQuestionAsync(long claimId, long askedBy, string question, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = "INSERT INTO claim_questions (claim_id, asked_by, question, asked_at) VALUES (@claimId, @askedBy, @question, @now) RETURNING id";
        return await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { claimId, askedBy, question, now }, tx, cancellationToken: ct));
    }

    /// <summary>Records the victim's answer to the open question. False when there is no open question (answered already).</summary>
    public async Task<bool> TryAnswerAsync(long questionId, string answer, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = "UPDATE claim_questions SET answer = @answer, answered_at = @now WHERE id = @questionId AND answered_at IS NULL";
        return await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { questionId, answer, now }, tx, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<ClaimQuestion>> ListQuestionsAsync(long claimId, CancellationToken ct)
    {
        const string sql = "SELECT id, claim_id, asked_by, question, asked_at, answer, answered_at FROM claim_questions WHERE claim_id = @claimId ORDER BY id";
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<ClaimQuestion>(new CommandDefinition(sql, new { claimId }, cancellationToken: ct))];
    }
}
