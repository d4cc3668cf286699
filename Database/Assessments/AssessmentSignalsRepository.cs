using System.Globalization;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Transactions;
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

/// <summary>What the assessment asks about one claim's surroundings (see <see cref="AssessmentSignalsRepository.GetClaimSignalsAsync"/>).</summary>
/// <param name="LinksFrom">Campaign links: other claims submitted in [LinksFrom, To].</param>
/// <param name="PayersFrom">Other payers: their payments to the payees in [PayersFrom, To].</param>
/// <param name="HistoryFrom">The customer's own transactions in [HistoryFrom, HistoryTo].</param>
/// <param name="SeenWindows">Devices and IP addresses whose accounts to count, each in its window (the account events).</param>
public sealed record ClaimSignalsQuery(long ClaimId, long CustomerId, IReadOnlyCollection<string> Devices, IReadOnlyCollection<string> Ips,
    IReadOnlyCollection<string> Payees, DateTimeOffset LinksFrom, DateTimeOffset PayersFrom, DateTimeOffset To,
    DateTimeOffset HistoryFrom, DateTimeOffset HistoryTo)
{
    public IReadOnlyList<SeenWindow> SeenWindows { get; init; } = [];
}

/// <param name="OtherPayersPerPayee">Every payee asked about, with its count of other payers (up to the cap).</param>
/// <param name="CustomerClaims">All the customer's claims, newest first (this one included).</param>
/// <param name="History">The customer's transactions in the history window, oldest first (the disputed ones included).</param>
/// <param name="Events">The customer's account events in the history window, oldest first.</param>
/// <param name="Devices">The customer's devices, oldest first.</param>
/// <param name="AccountsSeen">For each of the query's seen windows, in order, how many accounts the device or IP was seen on.</param>
public sealed record ClaimSignals(AccountFacts? Account, IReadOnlyList<Claim> CustomerClaims, IReadOnlyList<PaymentTransaction> History,
    IReadOnlyList<CampaignLink> CampaignLinks, IReadOnlyDictionary<string, long> OtherPayersPerPayee,
    IReadOnlyList<AccountEvent> Events, IReadOnlyList<Device> Devices, IReadOnlyList<long> AccountsSeen);

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

    /// <summary>
    /// The account's facts, the customer's claims, history, account events and devices, the accounts seen on each
    /// device or IP, the campaign links and the other payers per payee: up to eight statements sent in one command, so
    /// one round trip (Npgsql and Microsoft.Data.Sqlite both run a command's statements in order and return a result set
    /// for each).
    /// </summary>
    public async Task<ClaimSignals> GetClaimSignalsAsync(ClaimSignalsQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new DynamicParameters(new { claimId = query.ClaimId, customerId = query.CustomerId, cap = LinkCap, from = query.HistoryFrom, to = query.HistoryTo });
        // The events share the history's window (@from, @to).
        var statements = new List<string>
        {
            AccountFactsSql, ClaimRepository.ListForCustomerSql, TransactionRepository.ListBetweenSql, CustomerRepository.ListEventsSql, CustomerRepository.ListDevicesSql,
        };
        if (query.SeenWindows.Count > 0)
        {
            statements.Add(CustomerRepository.AccountsSeenSql(parameters, query.SeenWindows));
        }
        var anyLinks = query.Devices.Count + query.Ips.Count + query.Payees.Count > 0;
        if (anyLinks)
        {
            statements.Add(CampaignLinksSql(parameters, query.Devices, query.Ips, query.Payees, query.LinksFrom, query.To));
        }
        if (query.Payees.Count > 0)
        {
            statements.Add(OtherPayersSql(parameters, query.Payees, query.PayersFrom, query.To));
        }
        await using var connection = await connections.OpenAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(string.Join(";\n", statements), parameters, cancellationToken: ct));
        var account = await grid.ReadSingleOrDefaultAsync<AccountFacts>();
        var customerClaims = (await grid.ReadAsync<Claim>()).ToList();
        var history = (await grid.ReadAsync<PaymentTransaction>()).ToList();
        var events = (await grid.ReadAsync<AccountEvent>()).ToList();
        var devices = (await grid.ReadAsync<Device>()).ToList();
        var seen = query.SeenWindows.Count > 0
            ? CustomerRepository.AccountsSeenInOrder(query.SeenWindows, await grid.ReadAsync<(long Position, long Accounts)>())
            : [];
        IReadOnlyList<CampaignLink> links = anyLinks ? [.. await grid.ReadAsync<CampaignLink>()] : [];
        var payers = query.Payees.Count > 0
            ? (await grid.ReadAsync<(string Payee, long Payers)>()).ToDictionary(r => r.Payee, r => r.Payers, StringComparer.Ordinal)
            : new Dictionary<string, long>(StringComparer.Ordinal);
        return new ClaimSignals(account, customerClaims, history, links, payers, events, devices, seen);
    }

    // Empty or missing contact details never count as shared.
    private const string AccountFactsSql = """
        SELECT c.created_at, c.home_latitude, c.home_longitude,
               (SELECT COUNT(*) FROM customers o
                WHERE o.id <> c.id
                  AND ((c.email IS NOT NULL AND c.email <> '' AND o.email = c.email)
                    OR (c.phone IS NOT NULL AND c.phone <> '' AND o.phone = c.phone))) AS accounts_sharing_contact
        FROM customers c WHERE c.id = @customerId
        """;

    /// <summary>
    /// Other customers' claims, submitted in [from, to], that dispute a transaction with one of these devices, IP addresses
    /// or payees (up to the cap). Expects @claimId, @customerId and @cap in <paramref name="parameters"/>; adds the values and the window.
    /// </summary>
    private static string CampaignLinksSql(DynamicParameters parameters, IReadOnlyCollection<string> devices, IReadOnlyCollection<string> ips,
        IReadOnlyCollection<string> payees, DateTimeOffset from, DateTimeOffset to)
    {
        parameters.Add("linksFrom", from);
        parameters.Add("linksTo", to);
        // One arm per value, each the newest claims in the window from claim_signals' index (migration 0014): the
        // cost follows the claims sharing the value, up to the cap, never the transactions that ever carried it.
        var arms = new List<string>();
        void Arm(string kind, IReadOnlyCollection<string> values)
        {
            foreach (var value in values)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"v{arms.Count}");
                parameters.Add(name, value);
                arms.Add($"""
                    SELECT * FROM (
                        SELECT claim_id, customer_id, kind, value FROM claim_signals
                        WHERE kind = '{kind}' AND value = @{name} AND submitted_at >= @linksFrom AND submitted_at <= @linksTo
                          AND claim_id <> @claimId AND customer_id <> @customerId
                        ORDER BY submitted_at DESC
                        LIMIT @cap) AS {name}
                    """);
            }
        }
        Arm("device", devices);
        Arm("ip", ips);
        Arm("payee", payees);
        return $"""
            SELECT c.claim_number, c.status, s.customer_id, s.kind AS shared_by, s.value
            FROM ({string.Join("\n    UNION ALL\n    ", arms)}) s
            JOIN claims c ON c.id = s.claim_id
            LIMIT @cap
            """;
    }

    /// <summary>
    /// How many other accounts sent money to each payee in the window (up to the cap each): an ordinary person is paid by
    /// a few; a mule collecting from many unrelated accounts at once is paid by many. Expects @customerId and @cap in
    /// <paramref name="parameters"/>. One arm per payee, each bounded by the cap (a GROUP BY would read every payer of a
    /// busy payee to count past the cap).
    /// </summary>
    private static string OtherPayersSql(DynamicParameters parameters, IReadOnlyCollection<string> payees, DateTimeOffset from, DateTimeOffset to)
    {
        parameters.Add("payersFrom", from);
        parameters.Add("payersTo", to);
        var arms = new List<string>(payees.Count);
        foreach (var payee in payees.Distinct(StringComparer.Ordinal))
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"p{arms.Count}");
            parameters.Add(name, payee);
            arms.Add($"""
                SELECT @{name} AS payee, (SELECT COUNT(*) FROM (
                    SELECT DISTINCT customer_id FROM transactions
                    WHERE counterparty = @{name} AND customer_id <> @customerId AND occurred_at >= @payersFrom AND occurred_at <= @payersTo
                    LIMIT @cap) AS {name}) AS payers
                """);
        }
        return string.Join("\nUNION ALL\n", arms);
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
