using ClaimsOffice.Database;
using Dapper;

namespace ClaimsOffice.TestKit.Builders;

/// <summary>A staff account straight in the Identity tables: roles and an approval limit, no password (the rules under test do not sign in).</summary>
public sealed class StaffMemberBuilder
{
    private static int _sequence;
    private readonly int _n = Interlocked.Increment(ref _sequence);
    private readonly List<string> _roles = [];
    private string _name = "Test Agent";
    private long _limit;
    private DateTimeOffset? _disabledAt;

    public StaffMemberBuilder Named(string name) { _name = name; return this; }
    public StaffMemberBuilder Agent() { _roles.Add("Agent"); return this; }
    public StaffMemberBuilder Finance() { _roles.Add("Finance"); return this; }
    public StaffMemberBuilder WithLimit(long limit) { _limit = limit; return this; }
    public StaffMemberBuilder Disabled(DateTimeOffset at) { _disabledAt = at; return this; }

    /// <summary>Inserts the account and returns its id.</summary>
    public async Task<long> InsertAsync(IDbConnectionFactory connections, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(connections);
        var user = $"staff{_n}-{Guid.NewGuid():N}"[..24];
        await using var c = await connections.OpenAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO staff_users (user_name, normalized_user_name, email, normalized_email, display_name, security_stamp,
                                     concurrency_stamp, approval_limit, disabled_at, created_at)
            VALUES (@user, @upper, @email, @emailUpper, @name, 'stamp', 'stamp', @limit, @disabledAt, @now)
            RETURNING id
            """, new
        {
            user,
            upper = user.ToUpperInvariant(),
            email = user + "@staff.example",
            emailUpper = (user + "@staff.example").ToUpperInvariant(),
            name = _name,
            limit = _limit,
            disabledAt = _disabledAt,
            now = DateTimeOffset.UtcNow,
        }, cancellationToken: ct));
        foreach (var role in _roles)
        {
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO staff_user_roles (user_id, role_id) SELECT @id, id FROM staff_roles WHERE name = @role
                """, new { id, role }, cancellationToken: ct));
        }
        return id;
    }
}
