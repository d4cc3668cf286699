using Dapper;

namespace ClaimsOffice.Database.Review;

public static class CampaignSignals
{
    public const string Device = "device";
    public const string Ip = "ip";
    public const string Payee = "payee";
}

public sealed record Campaign
{
    public long Id { get; init; }
    public required string SignalKind { get; init; }
    public required string SignalValue { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public long OpenClaims { get; init; }
    public long OpenAmount { get; init; }
    public string Currency { get; init; } = "JPY";
}

/// <summary>A claim of a campaign as its page lists it (any state: decided claims stay in their campaign).</summary>
public sealed record CampaignClaim
{
    public long Id { get; init; }
    public required string ClaimNumber { get; init; }
    public required string CustomerName { get; init; }
    public required string Status { get; init; }
    public long TotalAmount { get; init; }
    public long? PaidAmount { get; init; }
    public required string Currency { get; init; }
    public int RiskScore { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
    public long? AssignedTo { get; init; }
    public string? AssignedToName { get; init; }
    public int Version { get; init; }
}

/// <summary>An attacker signal carried by the disputed transactions of several claims of one campaign.</summary>
public sealed record SharedSignal
{
    public required string Kind { get; init; }
    public required string Value { get; init; }
    public long Claims { get; init; }
}

/// <summary>One finding of the latest assessment of a campaign's claim.</summary>
public sealed record CampaignFinding
{
    public long ClaimId { get; init; }
    public required string Rule { get; init; }
    public int Points { get; init; }
    public bool BlocksAutoPayout { get; init; }
}

/// <summary>Another claim that shares an attacker signal with the one being read.</summary>
/// <remarks>Properties, not a positional record: SQLite reports the untyped kind column as a blob when no row comes back, and Dapper then finds no constructor.</remarks>
public sealed record RelatedClaim
{
    public long Id { get; init; }
    public required string ClaimNumber { get; init; }
    public required string Status { get; init; }
    public required string SignalKind { get; init; }
    public required string SignalValue { get; init; }
    public long TotalAmount { get; init; }
    public required string Currency { get; init; }
}

/// <summary>Campaigns: open claims whose disputed transactions share a device, IP address or payee.</summary>
public sealed class CampaignRepository(IDbConnectionFactory connections)
{
    // One signal per row: the devices, IP addresses and payees of open claims' disputed transactions. claim_signals
    // (migration 0014, kept by a trigger on claim_transactions) holds exactly those of every claim, one row per claim and
    // value, released links included as the join over claim_transactions always counted them; reading it spares the three
    // joins of every open claim's transactions.
    private const string OpenSignals = $"""
        FROM claim_signals s JOIN claims c ON c.id = s.claim_id
        WHERE c.status IN {ReviewStatus.OpenSqlList}
        """;

    // Detections run one at a time on PostgreSQL (the workers' job, a page opened meanwhile): two interleaved runs could
    // each make a campaign of claims the other tags first, and one would stay empty. SQLite writes one at a time anyway.
    private const string DetectionLock = "SELECT pg_advisory_xact_lock(7240003)";

    /// <summary>
    /// Groups open claims that share a signal with at least <paramref name="minimumClaims"/> claims into campaigns and
    /// tags claims not yet in one (device first, then IP, then payee). Returns how many claims were tagged.
    /// </summary>
    public async Task<int> DetectAsync(int minimumClaims, DateTimeOffset now, CancellationToken ct)
    {
        // A value with no untagged claim now has none after the tags below either (tags are only added): left out here,
        // so the steady state (nothing new) is this one read. claim_signals has one row per claim and value: COUNT(*)
        // counts claims.
        const string groups = $"""
            SELECT s.kind, s.value {OpenSignals}
            GROUP BY s.kind, s.value
            HAVING COUNT(*) >= @minimumClaims AND SUM(CASE WHEN c.campaign_id IS NULL THEN 1 ELSE 0 END) > 0
            ORDER BY CASE s.kind WHEN 'device' THEN 0 WHEN 'ip' THEN 1 ELSE 2 END, s.value
            """;
        const string upsert = """
            INSERT INTO review_campaigns (signal_kind, signal_value, created_at) VALUES (@kind, @value, @now)
            ON CONFLICT (signal_kind, signal_value) DO NOTHING
            """;
        // A signal whose claims all joined a campaign by an earlier signal makes no campaign of its own (it would stay empty).
        const string untagged = $"SELECT COUNT(*) {OpenSignals} AND s.kind = @kind AND s.value = @value AND c.campaign_id IS NULL";
        const string id = "SELECT id FROM review_campaigns WHERE signal_kind = @kind AND signal_value = @value";
        const string tag = $"""
            UPDATE claims SET campaign_id = @campaignId
            WHERE campaign_id IS NULL AND status IN {ReviewStatus.OpenSqlList}
              AND id IN (SELECT claim_id FROM claim_signals WHERE kind = @kind AND value = @value)
            """;
        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (connections.Dialect.Provider == DatabaseProvider.Postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition(DetectionLock, transaction: tx, cancellationToken: ct));
        }
        var found = (await connection.QueryAsync<(string Kind, string Value)>(new CommandDefinition(groups, new { minimumClaims }, tx, cancellationToken: ct))).ToList();
        var tagged = 0;
        foreach (var (kind, value) in found)
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(untagged, new { kind, value }, tx, cancellationToken: ct)) == 0)
            {
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition(upsert, new { kind, value, now }, tx, cancellationToken: ct));
            var campaignId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(id, new { kind, value }, tx, cancellationToken: ct));
            tagged += await connection.ExecuteAsync(new CommandDefinition(tag, new { campaignId, kind, value }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return tagged;
    }

    public async Task<IReadOnlyList<Campaign>> ListAsync(CancellationToken ct)
    {
        const string sql = $"""
            SELECT r.id, r.signal_kind, r.signal_value, r.created_at,
                   COUNT(c.id) AS open_claims, COALESCE(SUM(c.total_amount), 0) AS open_amount, COALESCE(MIN(c.currency), 'JPY') AS currency
            FROM review_campaigns r
            LEFT JOIN claims c ON c.campaign_id = r.id AND c.status IN {ReviewStatus.OpenSqlList}
            GROUP BY r.id, r.signal_kind, r.signal_value, r.created_at
            ORDER BY open_claims DESC, r.id
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<Campaign>(new CommandDefinition(sql, cancellationToken: ct))];
    }

    public async Task<Campaign?> GetAsync(long campaignId, CancellationToken ct)
    {
        const string sql = $"""
            SELECT r.id, r.signal_kind, r.signal_value, r.created_at,
                   COUNT(c.id) AS open_claims, COALESCE(SUM(c.total_amount), 0) AS open_amount, COALESCE(MIN(c.currency), 'JPY') AS currency
            FROM review_campaigns r
            LEFT JOIN claims c ON c.campaign_id = r.id AND c.status IN {ReviewStatus.OpenSqlList}
            WHERE r.id = @campaignId
            GROUP BY r.id, r.signal_kind, r.signal_value, r.created_at
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Campaign>(new CommandDefinition(sql, new { campaignId }, cancellationToken: ct));
    }

    /// <summary>Every claim tagged with the campaign, riskiest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<CampaignClaim>> ListClaimsAsync(long campaignId, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT c.id, c.claim_number, cu.full_name AS customer_name, c.status, c.total_amount, c.paid_amount, c.currency,
                   c.risk_score, c.submitted_at, c.assigned_to, s.display_name AS assigned_to_name, c.version
            FROM claims c
            JOIN customers cu ON cu.id = c.customer_id
            LEFT JOIN staff_users s ON s.id = c.assigned_to
            WHERE c.campaign_id = @campaignId
            ORDER BY (-c.risk_score), c.id
            LIMIT @limit
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<CampaignClaim>(new CommandDefinition(sql, new { campaignId, limit }, cancellationToken: ct))];
    }

    /// <summary>The findings of each campaign claim's latest assessment, in one read.</summary>
    public async Task<IReadOnlyList<CampaignFinding>> ListFindingsAsync(long campaignId, CancellationToken ct)
    {
        const string sql = """
            SELECT c.id AS claim_id, f.rule, f.points, f.blocks_auto_payout
            FROM claims c
            JOIN assessments a ON a.claim_id = c.id AND a.id = (SELECT MAX(l.id) FROM assessments l WHERE l.claim_id = c.id)
            JOIN assessment_findings f ON f.assessment_id = a.id
            WHERE c.campaign_id = @campaignId
            ORDER BY c.id, f.id
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<CampaignFinding>(new CommandDefinition(sql, new { campaignId }, cancellationToken: ct))];
    }

    /// <summary>Devices, IP addresses and payees that two or more of the campaign's claims share, the most shared first.</summary>
    public async Task<IReadOnlyList<SharedSignal>> ListSharedSignalsAsync(long campaignId, CancellationToken ct)
    {
        const string sql = """
            SELECT kind, value, COUNT(DISTINCT claim_id) AS claims FROM (
                SELECT c.id AS claim_id, 'device' AS kind, t.device_fingerprint AS value FROM claims c
                  JOIN claim_transactions ct ON ct.claim_id = c.id JOIN transactions t ON t.id = ct.transaction_id
                  WHERE c.campaign_id = @campaignId AND t.device_fingerprint IS NOT NULL
                UNION SELECT c.id, 'ip', t.ip_address FROM claims c
                  JOIN claim_transactions ct ON ct.claim_id = c.id JOIN transactions t ON t.id = ct.transaction_id
                  WHERE c.campaign_id = @campaignId AND t.ip_address IS NOT NULL
                UNION SELECT c.id, 'payee', t.counterparty FROM claims c
                  JOIN claim_transactions ct ON ct.claim_id = c.id JOIN transactions t ON t.id = ct.transaction_id
                  WHERE c.campaign_id = @campaignId AND t.counterparty IS NOT NULL
            ) s
            GROUP BY kind, value
            HAVING COUNT(DISTINCT claim_id) >= 2
            ORDER BY claims DESC, kind, value
            LIMIT 50
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<SharedSignal>(new CommandDefinition(sql, new { campaignId }, cancellationToken: ct))];
    }
}
