using Dapper;

namespace ClaimsOffice.Database.Assessments;

/// <summary>Another claim whose disputed transactions share the attacker's device, IP address or payee with this one.</summary>
public sealed record CampaignLink
{
    public required string ClaimNumber { get; init; }
    public required string Status { get; init; }
    public long CustomerId { get; init; }
    /// <summary>device, ip or payee.</summary>
    public required string SharedBy { get; init; }
    public required string Value { get; init; }
}

/// <summary>What the platform knows about the claimant's account itself.</summary>
public sealed record AccountFacts
{
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Other accounts registered with the same e-mail address or phone number.</summary>
    public long AccountsSharingContact { get; init; }
    public double? HomeLatitude { get; init; }
    public double? HomeLongitude { get; init; }
}

/// <summary>
/// Read-only questions the assessment asks across customers and claims (campaigns, mule payees, shared
/// identities). Each answer is bounded: in time, and in how many rows it may return.
/// </summary>
public sealed class AssessmentSignalsRepository(IDbConnectionFactory connections)
{
    public const int LinkCap = 200;

    /// <summary>Other customers' claims, submitted in [from, to], that dispute a transaction with one of these devices, IP addresses or payees.</summary>
    public async Task<IReadOnlyList<CampaignLink>> ListCampaignLinksAsync(long claimId, long customerId, IReadOnlyCollection<string> devices,
        IReadOnlyCollection<string> ips, IReadOnlyCollection<string> payees, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(ips);
        ArgumentNullException.ThrowIfNull(payees);
        if (devices.Count + ips.Count + payees.Count == 0)
        {
            return [];
        }
        var parameters = new DynamicParameters(new { claimId, customerId, from, to, cap = LinkCap });
        // One arm per value, each the newest claims in the window from claim_signals' index (migration 0014): the
        // cost follows the claims sharing the value, up to the cap, never the transactions that ever carried it.
        var arms = new List<string>();
        void Arm(string kind, IReadOnlyCollection<string> values)
        {
            foreach (var value in values)
            {
                var name = $"v{arms.Count}";
                parameters.Add(name, value);
                arms.Add($"""
                    SELECT * FROM (
                        SELECT claim_id, customer_id, kind, value FROM claim_signals
                        WHERE kind = '{kind}' AND value = @{name} AND submitted_at >= @from AND submitted_at <= @to
                          AND claim_id <> @claimId AND customer_id <> @customerId
                        ORDER BY submitted_at DESC
                        LIMIT @cap) AS {name}
                    """);
            }
        }
        Arm("device", devices);
        Arm("ip", ips);
        Arm("payee", payees);
        var sql = $"""
            SELECT c.claim_number, c.status, s.customer_id, s.kind AS shared_by, s.value
            FROM ({string.Join("\n    UNION ALL\n    ", arms)}) s
            JOIN claims c ON c.id = s.claim_id
            LIMIT @cap
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<CampaignLink>(new CommandDefinition(sql, parameters, cancellationToken: ct))];
    }

    /// <summary>
    /// How many other accounts sent money to <paramref name="payee"/> in [from, to] (up to the cap). An ordinary
    /// person is paid by a few; a mule collecting from many unrelated accounts at once is paid by many.
    /// </summary>
    public async Task<long> CountOtherPayersAsync(string payee, long customerId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        const string sql = """
            SELECT COUNT(*) FROM (
                SELECT DISTINCT customer_id FROM transactions
                WHERE counterparty = @payee AND customer_id <> @customerId AND occurred_at >= @from AND occurred_at <= @to
                LIMIT @cap) payers
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { payee, customerId, from, to, cap = LinkCap }, cancellationToken: ct));
    }

    public async Task<AccountFacts?> GetAccountFactsAsync(long customerId, CancellationToken ct)
    {
        // Empty or missing contact details never count as shared.
        const string sql = """
            SELECT c.created_at, c.home_latitude, c.home_longitude,
                   (SELECT COUNT(*) FROM customers o
                    WHERE o.id <> c.id
                      AND ((c.email IS NOT NULL AND c.email <> '' AND o.email = c.email)
                        OR (c.phone IS NOT NULL AND c.phone <> '' AND o.phone = c.phone))) AS accounts_sharing_contact
            FROM customers c WHERE c.id = @customerId
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<AccountFacts>(new CommandDefinition(sql, new { customerId }, cancellationToken: ct));
    }

    /// <summary>
    /// Every categorised payment's category, currency and amount in [from, to): what everybody pays in each category,
    /// the population's norm. Read once per day and process (CategoryBaseline), over the partial covering index
    /// of migration 0013.
    /// </summary>
    public async Task<IReadOnlyList<CategoryAmount>> ListCategoryAmountsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        const string sql = """
            SELECT merchant_category AS category, currency, amount FROM transactions
            WHERE occurred_at >= @from AND occurred_at < @to AND merchant_category IS NOT NULL AND kind = 'payment'
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<CategoryAmount>(new CommandDefinition(sql, new { from, to }, cancellationToken: ct))];
    }
}

/// <summary>One payment's category, currency and amount (minor units), for the population baseline.</summary>
public sealed record CategoryAmount
{
    public required string Category { get; init; }
    public required string Currency { get; init; }
    public long Amount { get; init; }
}
