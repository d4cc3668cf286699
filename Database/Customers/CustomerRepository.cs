using System.Globalization;
using Dapper;

namespace ClaimsOffice.Database.Customers;

public sealed record Customer
{
    public long Id { get; init; }
    public required string FullName { get; init; }
    public required string Email { get; init; }
    public required string Phone { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
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
}

/// <summary>Kinds of <see cref="AccountEvent"/> the platform sends.</summary>
public static class AccountEventKinds
{
    public const string SignIn = "sign_in";
    public const string SignInFailed = "sign_in_failed";
    public const string PasswordReset = "password_reset";
    public const string DeviceAdded = "device_added";
    public const string BankAccountLinked = "bank_account_linked";
    public const string ContactChanged = "contact_changed";
}

/// <summary>The customer aggregate: the person, their devices and their account events.</summary>
/// <summary>What a shared-device or shared-IP count looks at.</summary>
public enum SeenBy
{
    Device,
    Ip,
}

/// <summary>A device fingerprint or IP address and the time window to count accounts seen on it in.</summary>
public sealed record SeenWindow(SeenBy By, string Value, DateTimeOffset From, DateTimeOffset To);

public sealed class CustomerRepository(IDbConnectionFactory connections)
{
    private const string Columns = "id, full_name, email, phone, created_at";

    /// <summary>
    /// Account counts stop at this many: the rules only ask "many or few", and an attacker's device can
    /// touch thousands of accounts, which would make every claim in a campaign scan all of them.
    /// </summary>
    public const int AccountCountCap = 100;

    /// <summary>Finds a customer by e-mail (case-insensitive) or by phone number (digits only compared).</summary>
    public async Task<Customer?> FindByContactAsync(string contact, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM customers WHERE email = @email OR phone = @phone";
        var trimmed = contact.Trim();
        var email = trimmed.ToLowerInvariant();
        var phone = PhoneNumber.Normalize(trimmed);
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<Customer>(new CommandDefinition(sql, new { email, phone }, cancellationToken: ct));
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

    public async Task<IReadOnlyList<Device>> ListDevicesAsync(long customerId, CancellationToken ct)
    {
        const string sql = """
            SELECT id, customer_id, fingerprint, label, first_seen_at, last_seen_at
            FROM devices WHERE customer_id = @customerId ORDER BY first_seen_at
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<Device>(new CommandDefinition(sql, new { customerId }, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<AccountEvent>> ListEventsAsync(long customerId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        const string sql = """
            SELECT id, customer_id, kind, occurred_at, device_fingerprint, ip_address, detail
            FROM account_events
            WHERE customer_id = @customerId AND occurred_at >= @from AND occurred_at <= @to
            ORDER BY occurred_at
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<AccountEvent>(new CommandDefinition(sql, new { customerId, from, to }, cancellationToken: ct))];
    }

    /// <summary>
    /// How many distinct accounts each device or IP address was seen on in its window (up to
    /// <see cref="AccountCountCap"/> each): many means a shared attacker device or address. One statement for all,
    /// counts in the order asked.
    /// </summary>
    public async Task<IReadOnlyList<long>> CountAccountsSeenAsync(IReadOnlyList<SeenWindow> windows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0)
        {
            return [];
        }
        var parameters = new DynamicParameters(new { cap = AccountCountCap });
        var parts = new List<string>(windows.Count);
        for (var i = 0; i < windows.Count; i++)
        {
            // A fixed column name from this method, never input.
            var column = windows[i].By == SeenBy.Device ? "device_fingerprint" : "ip_address";
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"""
                SELECT {i} AS position, (SELECT COUNT(*) FROM (
                    SELECT DISTINCT customer_id FROM account_events
                    WHERE {column} = @Value{i} AND occurred_at >= @From{i} AND occurred_at <= @To{i}
                    LIMIT @cap) seen) AS accounts
                """));
            parameters.Add($"Value{i}", windows[i].Value);
            parameters.Add($"From{i}", windows[i].From);
            parameters.Add($"To{i}", windows[i].To);
        }
        var sql = string.Join(" UNION ALL ", parts);
        await using var connection = await connections.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Position, long Accounts)>(new CommandDefinition(sql, parameters, cancellationToken: ct));
        var counts = new long[windows.Count];
        foreach (var (position, accounts) in rows)
        {
            counts[position] = accounts;
        }
        return counts;
    }
}
