using System.Globalization;
using Dapper;

namespace ClaimsOffice.Database.Customers;

public sealed record Customer
{
    public long Id { get; init; }

    /// <summary>The customer's id in an imported file (<c>customer_id</c>); null for customers created here.</summary>
    public string? ExternalId { get; init; }

    public required string FullName { get; init; }

    /// <summary>Empty when unknown: imported customers may have none, and may share one with other customers.</summary>
    public required string Email { get; init; }

    /// <summary>Empty when unknown: imported customers may have none, and may share one with other customers.</summary>
    public required string Phone { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Where the customer lives, when the source says (degrees, WGS 84).</summary>
    public double? HomeLatitude { get; init; }

    public double? HomeLongitude { get; init; }
}

public sealed record Device
{
    public long Id { get; init; }
    public long CustomerId { get; init; }
    public required string Fingerprint { get; init; }
    public required string Label { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }
}

public sealed record AccountEvent
{
    public long Id { get; init; }
    public long CustomerId { get; init; }
    public required string Kind { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public string? DeviceFingerprint { get; init; }
    public string? IpAddress { get; init; }
    public string? Detail { get; init; }

    /// <summary>The event's id in an imported file (<c>event_id</c>); null for events recorded here.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Where the event came from, when the source says (degrees, WGS 84).</summary>
    public double? Latitude { get; init; }

    public double? Longitude { get; init; }
}

/// <summary>Kinds of <see cref="AccountEvent"/> the platform sends.</summary>
public static class AccountEventKinds
{
    public const string SignIn = "sign_in";
    public const string SignInFailed = "sign_in_failed";
    public const string PasswordReset = "password_reset";
    public const string DeviceAdded = "device_added";
    public const string BankAccountLinked = "bank_account_linked";
    public const string BankAccountUnlinked = "bank_account_unlinked";

    /// <summary>E-mail or phone changed; imported events say which in <see cref="AccountEvent.Detail"/> ("email" or "phone", then ": " and the file's detail).</summary>
    public const string ContactChanged = "contact_changed";

    public const string TwoFactorChanged = "two_factor_changed";
}

/// <summary>What a shared-device or shared-IP count looks at.</summary>
public enum SeenBy
{
    Device,
    Ip,
}

/// <summary>A device fingerprint or IP address and the time window to count accounts seen on it in.</summary>
public sealed record SeenWindow(SeenBy By, string Value, DateTimeOffset From, DateTimeOffset To);

/// <summary>The customer aggregate: the person, their devices and their account events.</summary>
public sealed class CustomerRepository(IDbConnectionFactory connections)
{
    // Unknown contact details are NULL in the table (so they never match each other) and empty in the record.
    private const string Columns = "id, external_id, full_name, COALESCE(email, '') AS email, COALESCE(phone, '') AS phone, created_at, home_latitude, home_longitude";

    /// <summary>
    /// Account counts stop at this many: the rules only ask "many or few", and an attacker's device can
    /// touch thousands of accounts, which would make every claim in a campaign scan all of them.
    /// </summary>
    public const int AccountCountCap = 100;

    /// <summary>Finds a customer by e-mail (case-insensitive) or by phone number (digits only compared).</summary>
    public async Task<Customer?> FindByContactAsync(string contact, CancellationToken ct)
    {
        // Imported customers may share a contact: the oldest wins, so the answer is the same every time.
        const string sql = $"SELECT {Columns} FROM customers WHERE email = @email OR phone = @phone ORDER BY id LIMIT 1";
        var trimmed = contact.Trim();
        var email = trimmed.ToLowerInvariant();
        var phone = PhoneNumber.Normalize(trimmed);
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<Customer>(new CommandDefinition(sql, new { email, phone }, cancellationToken: ct));
    }

    public async Task<Customer?> GetAsync(long id, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM customers WHERE id = @id";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Customer>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    public async Task<long> InsertAsync(Customer customer, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO customers (full_name, email, phone, created_at)
            VALUES (@FullName, @Email, @Phone, @CreatedAt)
            RETURNING id
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql,
            customer with { Email = customer.Email.ToLowerInvariant(), Phone = PhoneNumber.Normalize(customer.Phone) }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<AccountEvent>> ListEventsAsync(long customerId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<AccountEvent>(new CommandDefinition(ListEventsSql, new { customerId, from, to }, cancellationToken: ct))];
    }

    /// <summary>The devices of @customerId, oldest first; read by the assessment's batch (<see cref="Assessments.AssessmentSignalsRepository.GetClaimSignalsAsync"/>).</summary>
    internal const string ListDevicesSql = """
        SELECT id, customer_id, fingerprint, label, first_seen_at, last_seen_at
        FROM devices WHERE customer_id = @customerId ORDER BY first_seen_at
        """;

    /// <summary>The account events of @customerId in [@from, @to], oldest first (the assessment's batch runs it too).</summary>
    internal const string ListEventsSql = """
        SELECT id, customer_id, kind, occurred_at, device_fingerprint, ip_address, detail, external_id, latitude, longitude
        FROM account_events
        WHERE customer_id = @customerId AND occurred_at >= @from AND occurred_at <= @to
        ORDER BY occurred_at
        """;

    /// <summary>
    /// How many distinct accounts each device or IP address was seen on in its window (up to <see cref="AccountCountCap"/>
    /// each): many means a shared attacker device or address. One statement for all windows, run in the assessment's batch.
    /// Adds the cap and each window's value and bounds to <paramref name="parameters"/>. Rows: (position, accounts).
    /// </summary>
    internal static string AccountsSeenSql(DynamicParameters parameters, IReadOnlyList<SeenWindow> windows)
    {
        parameters.Add("accountCap", AccountCountCap);
        var parts = new List<string>(windows.Count);
        for (var i = 0; i < windows.Count; i++)
        {
            // A fixed column name from this method, never input.
            var column = windows[i].By == SeenBy.Device ? "device_fingerprint" : "ip_address";
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"""
                SELECT {i} AS position, (SELECT COUNT(*) FROM (
                    SELECT DISTINCT customer_id FROM account_events
                    WHERE {column} = @SeenValue{i} AND occurred_at >= @SeenFrom{i} AND occurred_at <= @SeenTo{i}
                    LIMIT @accountCap) seen) AS accounts
                """));
            parameters.Add($"SeenValue{i}", windows[i].Value);
            parameters.Add($"SeenFrom{i}", windows[i].From);
            parameters.Add($"SeenTo{i}", windows[i].To);
        }
        return string.Join(" UNION ALL ", parts);
    }

    /// <summary>The counts of <see cref="AccountsSeenSql"/> in the order the windows were asked.</summary>
    internal static IReadOnlyList<long> AccountsSeenInOrder(IReadOnlyList<SeenWindow> windows, IEnumerable<(long Position, long Accounts)> rows)
    {
        var counts = new long[windows.Count];
        foreach (var (position, accounts) in rows)
        {
            counts[position] = accounts;
        }
        return counts;
    }
}
