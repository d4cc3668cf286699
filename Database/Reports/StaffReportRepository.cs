using Dapper;

namespace ClaimsOffice.Database.Reports;

/// <summary>One claim as the dashboard counts it: when it was reported, where it stands, when money moved, and whether a person decided it.</summary>
public sealed record ClaimOutcomeRow
{
    public DateTimeOffset SubmittedAt { get; init; }
    public required string Status { get; init; }
    public DateTimeOffset? PaidAt { get; init; }
    public DateTimeOffset? FirstDecidedAt { get; init; }
}

/// <summary>One payout with the claim and the customer it went to: the fund page's lists and the CSV export.</summary>
public sealed record PayoutRow
{
    public long PayoutId { get; init; }
    public required string ClaimNumber { get; init; }
    public long CustomerId { get; init; }
    public required string CustomerName { get; init; }
    public required string CustomerEmail { get; init; }
    public long Amount { get; init; }
    public required string Currency { get; init; }
    public DateTimeOffset PaidAt { get; init; }
}

/// <summary>One posting on a customer's wallet, newest first.</summary>
public sealed record CustomerLedgerLine
{
    public long JournalId { get; init; }
    public required string Kind { get; init; }
    public required string Memo { get; init; }
    public string? ClaimNumber { get; init; }
    public long Amount { get; init; }
    public required string Currency { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// Read-only figures for the staff dashboard and the fund page. Queries are bounded by a time window or a row
/// limit; medians and percentiles are computed by the caller in C#, so the SQL stays the same on both databases.
/// </summary>
public sealed class StaffReportRepository(IDbConnectionFactory connections)
{
    public const string ClaimsSinceSql = """
        SELECT submitted_at, status, paid_at, first_decided_at
        FROM claims WHERE submitted_at >= @since ORDER BY submitted_at LIMIT @limit
        """;

    /// <summary>A payout with its claim and customer: the shared head of the payout queries.</summary>
    private const string PayoutRowsSql = """
        SELECT p.id AS payout_id, c.claim_number, c.customer_id, cu.full_name AS customer_name, cu.email AS customer_email,
               p.amount, p.currency, p.paid_at
        FROM payouts p JOIN claims c ON c.id = p.claim_id JOIN customers cu ON cu.id = c.customer_id
        """;

    public const string PayoutsBetweenSql = PayoutRowsSql + "\n" + """
        WHERE p.paid_at >= @from AND p.paid_at < @to
        ORDER BY p.paid_at, p.id LIMIT @limit
        """;

    public const string LargestPayoutsSql = PayoutRowsSql + "\n" + """
        ORDER BY p.amount DESC, p.id LIMIT @limit
        """;

    public const string FindCustomerSql = """
        SELECT id FROM customers WHERE id = @id OR lower(email) = lower(@email)
        """;

    public const string CustomerLedgerSql = """
        SELECT j.id AS journal_id, j.kind, j.memo, c.claim_number, lp.amount, a.currency, j.created_at
        FROM ledger_postings lp
        JOIN ledger_accounts a ON a.id = lp.account_id
        JOIN ledger_journals j ON j.id = lp.journal_id
        LEFT JOIN claims c ON c.id = j.claim_id
        WHERE a.customer_id = @customerId
        ORDER BY j.created_at DESC, j.id DESC LIMIT @limit
        """;

    public const string AccountCurrencySql = "SELECT currency FROM ledger_accounts WHERE code = @code";

    /// <summary>The currency of a ledger account; null before the account exists (nothing paid yet).</summary>
    public async Task<string?> AccountCurrencyAsync(string code, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(AccountCurrencySql, new { code }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ClaimOutcomeRow>> ClaimsSinceAsync(DateTimeOffset since, int limit, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<ClaimOutcomeRow>(new CommandDefinition(ClaimsSinceSql, new { since, limit }, cancellationToken: ct))];
    }

    /// <summary>Payouts made in [from, to).</summary>
    public async Task<IReadOnlyList<PayoutRow>> PayoutsBetweenAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<PayoutRow>(new CommandDefinition(PayoutsBetweenSql, new { from, to, limit }, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<PayoutRow>> LargestPayoutsAsync(int limit, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<PayoutRow>(new CommandDefinition(LargestPayoutsSql, new { limit }, cancellationToken: ct))];
    }

    /// <summary>The customer whose id or e-mail this is; null when there is none.</summary>
    public async Task<long?> FindCustomerAsync(string idOrEmail, CancellationToken ct)
    {
        var text = idOrEmail.Trim();
        var id = long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<long?>(new CommandDefinition(FindCustomerSql, new { id, email = text }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<CustomerLedgerLine>> CustomerLedgerAsync(long customerId, int limit, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<CustomerLedgerLine>(new CommandDefinition(CustomerLedgerSql, new { customerId, limit }, cancellationToken: ct))];
    }
}
