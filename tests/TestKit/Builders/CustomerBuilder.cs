using ClaimsOffice.Database;
using ClaimsOffice.Database.Customers;
using Dapper;

namespace ClaimsOffice.TestKit.Builders;

/// <summary>A customer with sensible defaults; each built customer gets a unique e-mail and phone.</summary>
public sealed class CustomerBuilder
{
    private static int _sequence;
    private readonly int _n = Interlocked.Increment(ref _sequence);
    private string _name = "Test Customer";
    private string? _email;
    private string? _phone;
    private DateTimeOffset _createdAt = DateTimeOffset.UtcNow.AddYears(-2);

    public CustomerBuilder Named(string name) { _name = name; return this; }
    public CustomerBuilder WithEmail(string email) { _email = email; return this; }
    public CustomerBuilder WithPhone(string phone) { _phone = phone; return this; }
    public CustomerBuilder CreatedAt(DateTimeOffset at) { _createdAt = at; return this; }

    public Customer Build() => new()
    {
        FullName = _name,
        Email = (_email ?? $"customer{_n}.{Guid.NewGuid():N}@example.com").ToLowerInvariant(),
        Phone = PhoneNumber.Normalize(_phone ?? $"+8170{Random.Shared.NextInt64(10_000_000, 99_999_999)}"),
        CreatedAt = _createdAt,
    };

    public async Task<Customer> InsertAsync(IDbConnectionFactory connections, CancellationToken ct = default)
    {
        var customer = Build();
        var id = await new CustomerRepository(connections).InsertAsync(customer, ct);
        return customer with { Id = id };
    }
}

/// <summary>Devices and account events, inserted directly (the platform's feed is not part of this issue).</summary>
public static class AccountActivity
{
    public static async Task AddDeviceAsync(IDbConnectionFactory connections, long customerId, string fingerprint, DateTimeOffset firstSeen, string label = "Phone", CancellationToken ct = default)
    {
        await using var c = await connections.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO devices (customer_id, fingerprint, label, first_seen_at, last_seen_at)
            VALUES (@customerId, @fingerprint, @label, @firstSeen, @firstSeen)
            """, new { customerId, fingerprint, label, firstSeen }, cancellationToken: ct));
    }

    public static async Task AddEventAsync(IDbConnectionFactory connections, long customerId, string kind, DateTimeOffset at, string? device, string? ip, string? detail = null, CancellationToken ct = default)
    {
        await using var c = await connections.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO account_events (customer_id, kind, occurred_at, device_fingerprint, ip_address, detail)
            VALUES (@customerId, @kind, @at, @device, @ip, @detail)
            """, new { customerId, kind, at, device, ip, detail }, cancellationToken: ct));
    }

    public static async Task<long> AddMerchantAsync(IDbConnectionFactory connections, string name = "Test Mart", string category = "convenience_store", CancellationToken ct = default)
    {
        await using var c = await connections.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO merchants (name, category, city) VALUES (@name, @category, 'Tokyo') RETURNING id", new { name, category }, cancellationToken: ct));
    }
}
