using System.Data.Common;
using Dapper;

namespace ClaimsOffice.Database.Approvals;

public static class PayoutApprovalStates
{
    public const string Pending = "Pending";
    public const string Paid = "Paid";
    public const string Rejected = "Rejected";
}

/// <summary>A payout an agent approved above what may be paid without finance, waiting for one or two approvers.</summary>
public sealed record PayoutApproval
{
    public long Id { get; init; }
    public long ClaimId { get; init; }
    public string ClaimNumber { get; init; } = "";
    public string CustomerName { get; init; } = "";
    public long DecisionId { get; init; }
    public long RequestedAmount { get; init; }
    public required string Currency { get; init; }
    public long DecidedBy { get; init; }
    public string DecidedByName { get; init; } = "";
    public required string State { get; init; }
    public long? FirstApproverId { get; init; }
    public string? FirstApproverName { get; init; }
    public DateTimeOffset? FirstApprovedAt { get; init; }
    public long? SecondApproverId { get; init; }
    public DateTimeOffset? SecondApprovedAt { get; init; }
    public long? RejectedBy { get; init; }
    public string? ReasonCode { get; init; }
    public string? ReasonText { get; init; }
    public int Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The payout-approval aggregate: one waiting payout per claim, moved on only by guarded updates.</summary>
public sealed class PayoutApprovalRepository(IDbConnectionFactory connections)
{
    private const string Select = """
        SELECT a.id, a.claim_id, c.claim_number, cu.full_name AS customer_name, a.decision_id, a.requested_amount, a.currency,
               a.decided_by, d.display_name AS decided_by_name, a.state, a.first_approver_id, f.display_name AS first_approver_name,
               a.first_approved_at, a.second_approver_id, a.second_approved_at, a.rejected_by, a.reason_code, a.reason_text,
               a.version, a.created_at, a.updated_at
        FROM payout_approvals a
        JOIN claims c ON c.id = a.claim_id
        JOIN customers cu ON cu.id = c.customer_id
        JOIN staff_users d ON d.id = a.decided_by
        LEFT JOIN staff_users f ON f.id = a.first_approver_id
        """;

    public async Task<long> InsertAsync(long claimId, long decisionId, long requestedAmount, string currency, long decidedBy, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = """
            INSERT INTO payout_approvals (claim_id, decision_id, requested_amount, currency, decided_by, state, version, created_at, updated_at)
            VALUES (@claimId, @decisionId, @requestedAmount, @currency, @decidedBy, @Pending, 0, @now, @now)
            RETURNING id
            """;
        return await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(sql,
            new { claimId, decisionId, requestedAmount, currency, decidedBy, PayoutApprovalStates.Pending, now }, tx, cancellationToken: ct));
    }

    public async Task<PayoutApproval?> GetAsync(long id, CancellationToken ct)
    {
        const string sql = $"{Select} WHERE a.id = @id";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PayoutApproval>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    public async Task<PayoutApproval?> GetAsync(long id, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = $"{Select} WHERE a.id = @id";
        return await tx.Connection!.QuerySingleOrDefaultAsync<PayoutApproval>(new CommandDefinition(sql, new { id }, tx, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<PayoutApproval>> ListAsync(string state, int limit, CancellationToken ct)
    {
        const string sql = $"{Select} WHERE a.state = @state ORDER BY a.created_at, a.id LIMIT @limit";
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<PayoutApproval>(new CommandDefinition(sql, new { state, limit }, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<PayoutApproval>> ListForClaimAsync(long claimId, CancellationToken ct)
    {
        const string sql = $"{Select} WHERE a.claim_id = @claimId ORDER BY a.id";
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<PayoutApproval>(new CommandDefinition(sql, new { claimId }, cancellationToken: ct))];
    }

    /// <summary>Records the first of two approvals. False when the approval moved on since the approver saw it.</summary>
    public async Task<bool> TryFirstApproveAsync(long id, int expectedVersion, long approverId, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = """
            UPDATE payout_approvals SET first_approver_id = @approverId, first_approved_at = @now, version = version + 1, updated_at = @now
            WHERE id = @id AND version = @expectedVersion AND state = @Pending AND first_approver_id IS NULL
            """;
        return await tx.Connection!.ExecuteAsync(new CommandDefinition(sql,
            new { id, expectedVersion, approverId, now, PayoutApprovalStates.Pending }, tx, cancellationToken: ct)) == 1;
    }

    /// <summary>Closes a pending approval as paid, naming the approver who completed it (first or second).</summary>
    public async Task<bool> TryCompleteAsync(long id, int expectedVersion, long approverId, bool asSecond, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var sql = asSecond
            ? "UPDATE payout_approvals SET state = @Paid, second_approver_id = @approverId, second_approved_at = @now, version = version + 1, updated_at = @now WHERE id = @id AND version = @expectedVersion AND state = @Pending AND first_approver_id IS NOT NULL"
            : "UPDATE payout_approvals SET state = @Paid, first_approver_id = @approverId, first_approved_at = @now, version = version + 1, updated_at = @now WHERE id = @id AND version = @expectedVersion AND state = @Pending AND first_approver_id IS NULL";
        return await tx.Connection!.ExecuteAsync(new CommandDefinition(sql,
            new { id, expectedVersion, approverId, now, PayoutApprovalStates.Paid, PayoutApprovalStates.Pending }, tx, cancellationToken: ct)) == 1;
    }

    public async Task<bool> TryRejectAsync(long id, int expectedVersion, long approverId, string reasonCode, string reasonText, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = """
            UPDATE payout_approvals SET state = @Rejected, rejected_by = @approverId, reason_code = @reasonCode, reason_text = @reasonText,
                   version = version + 1, updated_at = @now
            WHERE id = @id AND version = @expectedVersion AND state = @Pending
            """;
        return await tx.Connection!.ExecuteAsync(new CommandDefinition(sql,
            new { id, expectedVersion, approverId, reasonCode, reasonText, now, PayoutApprovalStates.Rejected, PayoutApprovalStates.Pending }, tx, cancellationToken: ct)) == 1;
    }
}
