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

/// <summary>A count that stops at a cap: <see cref="More"/> says there are more than <see cref="Value"/>.</summary>
public readonly record struct BoundedCount(long Value, bool More)
{
    public override string ToString() => Value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + (More ? "+" : "");
}

/// <summary>
/// Open claims per state (exact, from the counts table), and how many are overdue or due soon (bounded: they
/// depend on the time of asking, so no table can keep them; see ADR 0009).
/// </summary>
public sealed record QueueCounts(IReadOnlyDictionary<string, long> ByStatus, BoundedCount Overdue, BoundedCount DueSoon)
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

    /// <summary>
    /// The queue's order over claims <c>c</c>: (-risk_score) ascending is risk high to low, written as the indexes
    /// (0008) have it, so the whole order is ascending and a cursor is one row comparison the index can seek to.
    /// </summary>
    public const string OrderBy = "ORDER BY (-c.risk_score), c.next_due_at, c.id";

    public async Task<QueuePage> PageAsync(QueueFilter filter, QueueCursor? after, int pageSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        // The page's ids first, from the covering queue index alone (0011): filters on amount, age, state, holder and
        // campaign are checked on index entries, so a filter that skips many claims never reads their rows.
        // Only the page's own rows are then read, with their victim and holder.
        var sql = new StringBuilder($"SELECT c.id FROM claims c WHERE c.status IN {ReviewStatus.OpenSqlList}");
        var parameters = Where(filter, sql);
        if (after is not null)
        {
            // One row comparison in the index's own (ascending) order: the scan seeks straight to the cursor.
            sql.Append(" AND ((-c.risk_score), c.next_due_at, c.id) > (@CursorRank, @CursorDue, @CursorId)");
            parameters.Add("CursorRank", -after.RiskScore);
            parameters.Add("CursorDue", after.NextDueAt);
            parameters.Add("CursorId", after.Id);
        }
        sql.Append(' ').Append(OrderBy).Append(" LIMIT @Limit");
        parameters.Add("Limit", pageSize + 1);
        sql.Insert(0, """
            SELECT c.id, c.claim_number, cu.full_name AS customer_name, c.status, c.total_amount, c.currency,
                   c.risk_score, c.submitted_at, c.next_due_at, c.assigned_to, s.display_name AS assigned_to_name,
                   c.campaign_id, c.version
            FROM (
            """);
        sql.Append("""
            ) page
            JOIN claims c ON c.id = page.id
            JOIN customers cu ON cu.id = c.customer_id
            LEFT JOIN staff_users s ON s.id = c.assigned_to
            """).Append(' ').Append(OrderBy);
        await using var connection = await connections.OpenAsync(ct);
        var rows = (await connection.QueryAsync<QueueRow>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: ct))).ToList();
        var next = rows.Count > pageSize ? rows[pageSize - 1].Cursor : null;
        if (rows.Count > pageSize)
        {
            rows.RemoveAt(pageSize);
        }
        return new QueuePage(rows, next);
    }

    /// <summary>Overdue and due-soon counts stop here: past it the page shows "1,000+".</summary>
    public const int DueCountCap = 1_000;

    /// <summary>Open claims per state, and how many are overdue or due within <paramref name="soon"/> (up to <see cref="DueCountCap"/>).</summary>
    public async Task<QueueCounts> CountAsync(DateTimeOffset now, TimeSpan soon, CancellationToken ct)
    {
        // Kept in step by the triggers of migration 0011: 16 rows, whatever the size of the queue.
        const string byStatus = """
            SELECT COALESCE(SUM(in_review), 0) AS in_review, COALESCE(SUM(awaiting_information), 0) AS awaiting_information,
                   COALESCE(SUM(escalated), 0) AS escalated, COALESCE(SUM(awaiting_approval), 0) AS awaiting_approval
            FROM claim_queue_counts
            """;
        // Each count reads at most cap + 1 entries of the deadline index (ix_claims_queue_due), never the whole queue.
        const string due = $"""
            SELECT (SELECT COUNT(*) FROM (SELECT 1 AS x FROM claims WHERE status IN {ReviewStatus.OpenSqlList}
                        AND next_due_at < @now LIMIT @limit) o) AS overdue,
                   (SELECT COUNT(*) FROM (SELECT 1 AS x FROM claims WHERE status IN {ReviewStatus.OpenSqlList}
                        AND next_due_at >= @now AND next_due_at < @soonAt LIMIT @limit) s) AS due_soon
            """;
        await using var connection = await connections.OpenAsync(ct);
        var (inReview, awaitingInformation, escalated, awaitingApproval) = await connection.QuerySingleAsync<(long, long, long, long)>(
            new CommandDefinition(byStatus, cancellationToken: ct));
        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            [ReviewStatus.InReview] = inReview,
            [ReviewStatus.AwaitingInformation] = awaitingInformation,
            [ReviewStatus.Escalated] = escalated,
            [ReviewStatus.AwaitingApproval] = awaitingApproval,
        };
        var (overdue, dueSoon) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(due,
            new { now, soonAt = now + soon, limit = DueCountCap + 1 }, cancellationToken: ct));
        return new QueueCounts(counts, Bounded(overdue), Bounded(dueSoon));
    }

    private static BoundedCount Bounded(long counted) => counted > DueCountCap ? new(DueCountCap, true) : new(counted, false);

    private static DynamicParameters Where(QueueFilter filter, StringBuilder sql)
    {
        var p = new DynamicParameters();
        // Each filter the agent set adds one condition on an indexed column and its parameter.
        void And(object? value, string condition, string name)
        {
            if (value is not null)
            {
                sql.Append(" AND c.").Append(condition).Append(" @").Append(name);
                p.Add(name, value);
            }
        }
        And(filter.Status, "status =", "Status");
        And(filter.MinAmount, "total_amount >=", "MinAmount");
        And(filter.MaxAmount, "total_amount <=", "MaxAmount");
        And(filter.SubmittedBefore, "submitted_at <=", "SubmittedBefore");
        And(filter.SubmittedAfter, "submitted_at >=", "SubmittedAfter");
        And(filter.CampaignId, "campaign_id =", "CampaignId");
        And(filter.AssignedTo, "assigned_to =", "AssignedTo");
        if (filter.UnassignedOnly)
        {
            sql.Append(" AND c.assigned_to IS NULL");
        }
        And(filter.DueBefore, "next_due_at <", "DueBefore");
        return p;
    }
}
