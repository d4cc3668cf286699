using Dapper;

namespace ClaimsOffice.Database.Review;

/// <summary>A staff member as the review and approval rules see them.</summary>
public sealed record StaffMember
{
    public long Id { get; init; }
    public required string DisplayName { get; init; }
    /// <summary>Largest amount (minor units) this person may decide or approve alone.</summary>
    public long ApprovalLimit { get; init; }
    public DateTimeOffset? DisabledAt { get; init; }
    public IReadOnlySet<string> Roles { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public bool IsActive => DisabledAt is null;

    public bool HasRole(string role) => Roles.Contains(role);
}

/// <summary>Reads staff accounts (kept by the Identity stores) for the review and approval rules: never trusts the page.</summary>
public sealed class StaffDirectory(IDbConnectionFactory connections)
{
    public const string AgentRole = "Agent";
    public const string FinanceRole = "Finance";

    public async Task<StaffMember?> GetAsync(long id, CancellationToken ct)
    {
        const string user = "SELECT id, display_name, approval_limit, disabled_at FROM staff_users WHERE id = @id";
        const string roles = """
            SELECT r.name FROM staff_user_roles ur JOIN staff_roles r ON r.id = ur.role_id WHERE ur.user_id = @id
            """;
        await using var connection = await connections.OpenAsync(ct);
        var member = await connection.QuerySingleOrDefaultAsync<StaffMember>(new CommandDefinition(user, new { id }, cancellationToken: ct));
        if (member is null)
        {
            return null;
        }
        var names = await connection.QueryAsync<string>(new CommandDefinition(roles, new { id }, cancellationToken: ct));
        return member with { Roles = names.ToHashSet(StringComparer.Ordinal) };
    }
}
