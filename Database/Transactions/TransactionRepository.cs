using Dapper;

namespace ClaimsOffice.Database.Transactions;

/// <summary>A movement of money on a customer's wallet, as the payment platform reported it.</summary>
public sealed record PaymentTransaction
{
    public long Id { get; init; }
    public required string Reference { get; init; }
    public long CustomerId { get; init; }
    public required string Kind { get; init; }
    public long Amount { get; init; }
    public required string Currency { get; init; }
    public long? MerchantId { get; init; }
    public string? MerchantName { get; init; }
    public string? MerchantCategory { get; init; }
    public string? Counterparty { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public string? DeviceFingerprint { get; init; }
    public string? IpAddress { get; init; }

    /// <summary>How the payment was made, when the source says: <c>online</c>, <c>card_present</c>, <c>mobile</c>, <c>atm</c>, ...</summary>
    public string? Channel { get; init; }

    /// <summary>Where the transaction happened (the merchant's or the device's position), when the source says.</summary>
    public double? Latitude { get; init; }

    public double? Longitude { get; init; }

    /// <summary>The wallet's balance right after this transaction, minor units; null when the source does not report it.</summary>
    public long? BalanceAfter { get; init; }

    /// <summary>The live claim this transaction is in, if any (filled by the listing queries).</summary>
    public string? LiveClaimNumber { get; init; }

    /// <summary>Money that left the customer's control: these can be disputed.</summary>
    public bool IsOutgoing => TransactionKinds.Outgoing.Contains(Kind);

    public string Description => MerchantName ?? Counterparty ?? Kind;
}

public static class TransactionKinds
{
    public const string Payment = "payment";
    public const string TopUp = "top_up";
    public const string BankTopUp = "bank_top_up";
    public const string TransferOut = "transfer_out";
    public const string TransferIn = "transfer_in";
    public const string CashOut = "cash_out";
    public const string CashIn = "cash_in";
    public const string Withdrawal = "withdrawal";
    public const string Refund = "refund";

    /// <summary>
    /// Kinds a victim can report as "not me": money that left the wallet. A bank top-up pulls money from the
    /// victim's bank (docomo 口座); a cash-out or withdrawal takes it out as cash or to a bank account.
    /// </summary>
    public static readonly IReadOnlySet<string> Outgoing = new HashSet<string>(StringComparer.Ordinal) { Payment, TransferOut, BankTopUp, CashOut, Withdrawal };
}

public sealed class TransactionRepository(IDbConnectionFactory connections)
{
    private const string Columns = """
        SELECT t.id, t.reference, t.customer_id, t.kind, t.amount, t.currency, t.merchant_id,
               COALESCE(m.name, t.merchant_name) AS merchant_name, COALESCE(m.category, t.merchant_category) AS merchant_category,
               t.counterparty, t.occurred_at, t.device_fingerprint, t.ip_address,
               t.channel, t.latitude, t.longitude, t.balance_after
        """;

    private const string From = """
        FROM transactions t
        LEFT JOIN merchants m ON m.id = t.merchant_id
        """;

    /// <summary>With the live claim each transaction is in: for lists a person acts on, not for the assessment's history.</summary>
    private const string Select = $"""
        {Columns},
               (SELECT c.claim_number FROM claim_transactions ct JOIN claims c ON c.id = ct.claim_id
                WHERE ct.transaction_id = t.id AND ct.released_at IS NULL) AS live_claim_number
        {From}
        """;

    /// <summary>A customer's transactions, newest first, for the "not me" list.</summary>
    public async Task<IReadOnlyList<PaymentTransaction>> ListRecentAsync(long customerId, DateTimeOffset since, int limit, CancellationToken ct)
    {
        const string sql = $"""
            {Select}
            WHERE t.customer_id = @customerId AND t.occurred_at >= @since
            ORDER BY t.occurred_at DESC, t.id DESC
            LIMIT @limit
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<PaymentTransaction>(new CommandDefinition(sql, new { customerId, since, limit }, cancellationToken: ct))];
    }

    /// <summary>The customer's history in [@from, @to], oldest first; @customerId. Also read by the assessment's batched signals query.</summary>
    // No live-claim lookup per row: the history of a busy customer is hundreds of rows, and the rules do not need it.
    internal const string ListBetweenSql = $"""
        {Columns}
        {From}
        WHERE t.customer_id = @customerId AND t.occurred_at >= @from AND t.occurred_at <= @to
        ORDER BY t.occurred_at, t.id
        """;

    /// <summary>The customer's history in a window, oldest first, for the assessment.</summary>
    public async Task<IReadOnlyList<PaymentTransaction>> ListBetweenAsync(long customerId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<PaymentTransaction>(new CommandDefinition(ListBetweenSql, new { customerId, from, to }, cancellationToken: ct))];
    }

    /// <summary>Transactions by their public references, whoever owns them (the caller checks ownership).</summary>
    public async Task<IReadOnlyList<PaymentTransaction>> GetByReferencesAsync(IReadOnlyCollection<string> references, CancellationToken ct)
    {
        if (references.Count == 0)
        {
            return [];
        }
        await using var connection = await connections.OpenAsync(ct);
        var found = new List<PaymentTransaction>(references.Count);
        // Chunked IN lists keep both databases' parameter limits out of reach.
        foreach (var chunk in references.Distinct(StringComparer.Ordinal).Chunk(200))
        {
            var names = string.Join(", ", chunk.Select((_, i) => $"@r{i}"));
            var parameters = new DynamicParameters();
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters.Add($"r{i}", chunk[i]);
            }
            found.AddRange(await connection.QueryAsync<PaymentTransaction>(new CommandDefinition(
                $"{Select} WHERE t.reference IN ({names})", parameters, cancellationToken: ct)));
        }
        return found;
    }

    /// <summary>A claim's disputed transactions, oldest first; @claimId. Also read with the claim itself (ClaimRepository).</summary>
    internal const string ForClaimSql = $"""
        {Select}
        JOIN claim_transactions x ON x.transaction_id = t.id
        WHERE x.claim_id = @claimId
        ORDER BY t.occurred_at, t.id
        """;

    public async Task<IReadOnlyList<PaymentTransaction>> GetForClaimAsync(long claimId, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<PaymentTransaction>(new CommandDefinition(ForClaimSql, new { claimId }, cancellationToken: ct))];
    }

    public async Task<long> InsertAsync(PaymentTransaction transaction, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO transactions (reference, customer_id, kind, amount, currency, merchant_id, counterparty, occurred_at, device_fingerprint, ip_address,
                                      merchant_name, merchant_category, channel, latitude, longitude, balance_after)
            VALUES (@Reference, @CustomerId, @Kind, @Amount, @Currency, @MerchantId, @Counterparty, @OccurredAt, @DeviceFingerprint, @IpAddress,
                    @MerchantName, @MerchantCategory, @Channel, @Latitude, @Longitude, @BalanceAfter)
            RETURNING id
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, transaction, cancellationToken: ct));
    }
}
