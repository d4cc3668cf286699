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
}

/// <summary>Another claim that shares an attacker signal with the one being read.</summary>
public sealed record RelatedClaim(long Id, string ClaimNumber, string Status, string SignalKind, string SignalValue, long TotalAmount, string Currency);

/// <summary>Campaigns: open claims whose disputed transactions share a device, IP address or payee.</summary>
public sealed class CampaignRepository(IDbConnectionFactory connections)
{
    // One signal per row: the disputed transactions of open claims, with each attacker signal they carry.
    private const string Signals = $"""
        SELECT c.id AS claim_id, 'device' AS kind, t.device_fingerprint AS value FROM claims c
          JOIN claim_transactions ct ON ct.claim_id = c.id JOIN transactions t ON t.id = ct.transaction_id
          WHERE c.status IN {ReviewStatus.OpenSqlList} AND t.device_fingerprint IS NOT NULL
        UNION SELECT c.id, 'ip', t.ip_address FROM claims c
          JOIN claim_transactions ct ON ct.claim_id = c.id JOIN transactions t ON t.id = ct.transaction_id
          WHERE c.status IN {ReviewStatus.OpenSqlList} AND t.ip_address IS NOT NULL
        UNION SELECT c.id, 'payee', t.counterparty FROM claims c
          JOIN claim_transactions ct ON ct.claim_id = c.id JOIN transactions t ON t.id = ct.transaction_id
          WHERE c.status IN {ReviewStatus.OpenSqlList} AND t.counterparty IS NOT NULL
        """;

    /// <summary>
    /// Groups open claims that share a signal with at least <paramref name="minimumClaims"/> claims into campaigns and
    /// tags claims not yet in one (device first, then IP, then payee). Returns how many claims were tagged.
    /// </summary>
    public async Task<int> DetectAsync(int minimumClaims, DateTimeOffset now, CancellationToken ct)
    {
        const string groups = $"""
            SELECT kind, value FROM ({Signals}) s GROUP BY kind, value HAVING COUNT(DISTINCT claim_id) >= @minimumClaims
            ORDER BY CASE kind WHEN 'device' THEN 0 WHEN 'ip' THEN 1 ELSE 2 END, value
            """;
        const string upsert = """
            INSERT INTO review_campaigns (signal_kind, signal_value, created_at) VALUES (@kind, @value, @now)
            ON CONFLICT (signal_kind, signal_value) DO NOTHING
            """;
        const string id = "SELECT id FROM review_campaigns WHERE signal_kind = @kind AND signal_value = @value";
        const string tag = $"""
            UPDATE claims SET campaign_id = @campaignId
            WHERE campaign_id IS NULL AND id IN (SELECT claim_id FROM ({Signals}) s WHERE s.kind = @kind AND s.value = @value)
            """;
        await using var connection = await connections.OpenAsync(ct);
        var found = (await connection.QueryAsync<(string Kind, string Value)>(new CommandDefinition(groups, new { minimumClaims }, cancellationToken: ct))).ToList();
        var tagged = 0;
        await using var tx = await connection.BeginTransactionAsync(ct);
        foreach (var (kind, value) in found)
        {
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
                   COUNT(c.id) AS open_claims, COALESCE(SUM(c.total_amount), 0) AS open_amount
            FROM review_campaigns r
            LEFT JOIN claims c ON c.campaign_id = r.id AND c.status IN {ReviewStatus.OpenSqlList}
            GROUP BY r.id, r.signal_kind, r.signal_value, r.created_at
            ORDER BY open_claims DESC, r.id
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<Campaign>(new CommandDefinition(sql, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<long>> ListOpenClaimIdsAsync(long campaignId, CancellationToken ct)
    {
        const string sql = $"SELECT id FROM claims WHERE campaign_id = @campaignId AND status IN {ReviewStatus.OpenSqlList} ORDER BY id";
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<long>(new CommandDefinition(sql, new { campaignId }, cancellationToken: ct))];
    }

    /// <summary>Other claims (any state) whose disputed transactions share a device, IP or payee with this claim's.</summary>
    public async Task<IReadOnlyList<RelatedClaim>> ListRelatedAsync(long claimId, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT DISTINCT c.id, c.claim_number, c.status, s.kind AS signal_kind, s.value AS signal_value, c.total_amount, c.currency
            FROM (
                SELECT 'device' AS kind, t.device_fingerprint AS value FROM claim_transactions ct JOIN transactions t ON t.id = ct.transaction_id
                  WHERE ct.claim_id = @claimId AND t.device_fingerprint IS NOT NULL
                UNION SELECT 'ip', t.ip_address FROM claim_transactions ct JOIN transactions t ON t.id = ct.transaction_id
                  WHERE ct.claim_id = @claimId AND t.ip_address IS NOT NULL
                UNION SELECT 'payee', t.counterparty FROM claim_transactions ct JOIN transactions t ON t.id = ct.transaction_id
                  WHERE ct.claim_id = @claimId AND t.counterparty IS NOT NULL
            ) s
            JOIN transactions t ON (s.kind = 'device' AND t.device_fingerprint = s.value)
                                OR (s.kind = 'ip' AND t.ip_address = s.value)
                                OR (s.kind = 'payee' AND t.counterparty = s.value)
            JOIN claim_transactions ct ON ct.transaction_id = t.id
            JOIN claims c ON c.id = ct.claim_id
            WHERE c.id <> @claimId
            ORDER BY c.id DESC
            LIMIT @limit
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<RelatedClaim>(new CommandDefinition(sql, new { claimId, limit }, cancellationToken: ct))];
    }
}
