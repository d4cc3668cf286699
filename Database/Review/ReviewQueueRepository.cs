using System.Text;
using Dapper;

namespace ClaimsOffice.Database.Review;

/// <summary>What the queue can be narrowed to. Every field is optional; all given ones must hold.</summary>
public sealed record QueueFilter
{
    public string? Status { get; init; }
    public long? MinAmount { get; init; }
    public long? MaxAmount { get; init; }
    /// <summary>Only claims submitted at or before this time (older than an age).</summary>
    public DateTimeOffset? SubmittedBefore { get; init; }
    /// <summary>Only claims submitted at or after this time (younger than an age).</summary>
    public DateTimeOffset? SubmittedAfter { get; init; }
    public long? CampaignId { get; init; }
    public long? AssignedTo { get; init; }
    public bool UnassignedOnly { get; init; }
    public DateTimeOffset? DueBefore { get; init; }
}

/// <summary>Where a page ended in the queue's order (risk high to low, then deadline, then id).</summary>
public sealed record QueueCursor(int RiskScore, DateTimeOffset NextDueAt, long Id);

public sealed record QueueRow
{
    public long Id { get; init; }
    public required string ClaimNumber { get; init; }
    public required string CustomerName { get; init; }
    public required string Status { get; init; }
    public long TotalAmount { get; init; }
    public required string Currency { get; init; }
    public int RiskScore { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset NextDueAt { get; init; }
    public long? AssignedTo { get; init; }
    public string? AssignedToName { get; init; }
    public long? CampaignId { get; init; }
    public int Version { get; init; }

    public QueueCursor Cursor => new(RiskScore, NextDueAt, Id);
}

public sealed record QueuePage(IReadOnlyList<QueueRow> Rows, QueueCursor? Next);

public sealed record QueueCounts(IReadOnlyDictionary<string, long> ByStatus, long Overdue, long DueSoon)
{
    public long Total => ByStatus.Values.Sum();
}

/// <summary>
/// The review queue's reads. Keyset paging over (-risk_score, next_due_at, id), i.e. riskiest first: a deep page costs
/// an index seek, not an OFFSET over every earlier row. SQL is assembled from fixed fragments only.
/// </summary>
public sealed class ReviewQueueRepository(IDbConnectionFactory connections)
{
    public const int MaxPageSize = 200;

    public async Task<QueuePage> PageAsync(QueueFilter filter, QueueCursor? after, int pageSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        const string select = $"""
            SELECT c.id, c.claim_number, cu.full_name AS customer_name, c.status, c.total_amount, c.currency,
                   c.risk_score, c.submitted_at, c.next_due_at, c.assigned_to, s.display_name AS assigned_to_name,
                   c.campaign_id, c.version
            FROM claims c
            JOIN customers cu ON cu.id = c.customer_id
            LEFT JOIN staff_users s ON s.id = c.assigned_to
            WHERE c.status IN {ReviewStatus.OpenSqlList}
            """;
        var sql = new StringBuilder(select);
        var parameters = Where(filter, sql);
        if (after is not null)
        {
            // One row comparison in the index's own (ascending) order: the scan seeks straight to the cursor.
            sql.Append(" AND ((-c.risk_score), c.next_due_at, c.id) > (@CursorRank, @CursorDue, @CursorId)");
            parameters.Add("CursorRank", -after.RiskScore);
            parameters.Add("CursorDue", after.NextDueAt);
            parameters.Add("CursorId", after.Id);
        }
        // (-risk_score) ascending is risk high to low, written as the indexes (0008) have it.
        sql.Append(" ORDER BY (-c.risk_score), c.next_due_at, c.id LIMIT @Limit");
        parameters.Add("Limit", pageSize + 1);
        await using var connection = await connections.OpenAsync(ct);
        var rows = (await connection.QueryAsync<QueueRow>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: ct))).ToList();
        var next = rows.Count > pageSize ? rows[pageSize - 1].Cursor : null;
        if (rows.Count > pageSize)
        {
            rows.RemoveAt(pageSize);
        }
        return new QueuePage(rows, next);
    }

    /// <summary>Open claims per state, and how many are overdue or due within <paramref name="soon"/>.</summary>
    public async Task<QueueCounts> CountAsync(DateTimeOffset now, TimeSpan soon, CancellationToken ct)
    {
        const string byStatus = $"SELECT status, COUNT(*) AS n FROM claims WHERE status IN {ReviewStatus.OpenSqlList} GROUP BY status";
        const string due = $"""
            SELECT COALESCE(SUM(CASE WHEN next_due_at < @now THEN 1 ELSE 0 END), 0) AS overdue,
                   COALESCE(SUM(CASE WHEN next_due_at >= @now THEN 1 ELSE 0 END), 0) AS due_soon
            FROM claims WHERE status IN {ReviewStatus.OpenSqlList} AND next_due_at < @soonAt
            """;
        await using var connection = await connections.OpenAsync(ct);
        var counts = (await connection.QueryAsync<(string Status, long N)>(new CommandDefinition(byStatus, cancellationToken: ct)))
            .ToDictionary(r => r.Status, r => r.N, StringComparer.Ordinal);
        var (overdue, dueSoon) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(due, new { now, soonAt = now + soon }, cancellationToken: ct));
        return new QueueCounts(counts, overdue, dueSoon);
    }

    private static DynamicParameters Where(QueueFilter filter, StringBuilder sql)
    {
        var p = new DynamicParameters();
        if (filter.Status is not null)
        {
            sql.Append(" AND c.status = @Status");
            p.Add("Status", filter.Status);
        }
        if (filter.MinAmount is not null)
        {
            sql.Append(" AND c.total_amount >= @MinAmount");
            p.Add("MinAmount", filter.MinAmount);
        }
        if (filter.MaxAmount is not null)
        {
            sql.Append(" AND c.total_amount <= @MaxAmount");
            p.Add("MaxAmount", filter.MaxAmount);
        }
        if (filter.SubmittedBefore is not null)
        {
            sql.Append(" AND c.submitted_at <= @SubmittedBefore");
            p.Add("SubmittedBefore", filter.SubmittedBefore);
        }
        if (filter.SubmittedAfter is not null)
        {
            sql.Append(" AND c.submitted_at >= @SubmittedAfter");
            p.Add("SubmittedAfter", filter.SubmittedAfter);
        }
        if (filter.CampaignId is not null)
        {
            sql.Append(" AND c.campaign_id = @CampaignId");
            p.Add("CampaignId", filter.CampaignId);
        }
        if (filter.AssignedTo is not null)
        {
            sql.Append(" AND c.assigned_to = @AssignedTo");
            p.Add("AssignedTo", filter.AssignedTo);
        }
        if (filter.UnassignedOnly)
        {
            sql.Append(" AND c.assigned_to IS NULL");
        }
        if (filter.DueBefore is not null)
        {
            sql.Append(" AND c.next_due_at < @DueBefore");
            p.Add("DueBefore", filter.DueBefore);
        }
        return p;
    }
}
