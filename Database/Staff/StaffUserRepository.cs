using System.Data.Common;
using Dapper;

namespace ClaimsOffice.Database.Staff;

/// <summary>
/// A staff account as ASP.NET Core Identity sees it. Mutable on purpose: Identity's store contract sets
/// fields on the user object and then asks the store to save it.
/// </summary>
public sealed class StaffUser
{
    public long Id { get; set; }
    public string UserName { get; set; } = "";
    public string NormalizedUserName { get; set; } = "";
    public string Email { get; set; } = "";
    public string NormalizedEmail { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string? PasswordHash { get; set; }
    public string SecurityStamp { get; set; } = "";
    public string ConcurrencyStamp { get; set; } = "";
    public bool LockoutEnabled { get; set; } = true;
    public DateTimeOffset? LockoutEnd { get; set; }
    public int AccessFailedCount { get; set; }
    public bool TwoFactorEnabled { get; set; }
    /// <summary>Largest payout (minor units) this person may approve or decide alone.</summary>
    public long ApprovalLimit { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One row of the admin's staff list: the account and its role names.</summary>
public sealed record StaffListEntry(StaffUser User, IReadOnlyList<string> Roles);

/// <summary>
/// The staff-account aggregate: the user row, its roles and its tokens (authenticator key, recovery codes).
/// The failed-sign-in counter is only ever changed by single guarded statements, so parallel wrong
/// passwords are each counted.
/// </summary>
public sealed class StaffUserRepository(IDbConnectionFactory connections)
{
    private const string Columns = """
        id, user_name, normalized_user_name, email, normalized_email, display_name, password_hash, security_stamp,
        concurrency_stamp, lockout_enabled, lockout_end, access_failed_count, two_factor_enabled, approval_limit,
        disabled_at, created_at
        """;

    public async Task<long> InsertAsync(StaffUser user, DbTransaction? tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        const string sql = """
            INSERT INTO staff_users (user_name, normalized_user_name, email, normalized_email, display_name, password_hash,
                security_stamp, concurrency_stamp, lockout_enabled, lockout_end, access_failed_count, two_factor_enabled,
                approval_limit, disabled_at, created_at)
            VALUES (@UserName, @NormalizedUserName, @Email, @NormalizedEmail, @DisplayName, @PasswordHash,
                @SecurityStamp, @ConcurrencyStamp, @LockoutEnabled, @LockoutEnd, @AccessFailedCount, @TwoFactorEnabled,
                @ApprovalLimit, @DisabledAt, @CreatedAt)
            RETURNING id
            """;
        var id = await WithConnectionAsync(tx, ct, (c, t) =>
            c.ExecuteScalarAsync<long>(new CommandDefinition(sql, user, t, cancellationToken: ct)));
        user.Id = id;
        return id;
    }

    /// <summary>
    /// Saves the user if nobody else saved it since it was read (its concurrency stamp still matches);
    /// false otherwise. The failed-sign-in counter is left alone: see <see cref="IncrementAccessFailedCountAsync"/>.
    /// </summary>
    public async Task<bool> UpdateAsync(StaffUser user, string newConcurrencyStamp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        const string sql = """
            UPDATE staff_users SET
                user_name = @UserName, normalized_user_name = @NormalizedUserName, email = @Email,
                normalized_email = @NormalizedEmail, display_name = @DisplayName, password_hash = @PasswordHash,
                security_stamp = @SecurityStamp, concurrency_stamp = @NewConcurrencyStamp, lockout_enabled = @LockoutEnabled,
                lockout_end = @LockoutEnd, two_factor_enabled = @TwoFactorEnabled, approval_limit = @ApprovalLimit,
                disabled_at = @DisabledAt
            WHERE id = @Id AND concurrency_stamp = @ConcurrencyStamp
            """;
        await using var connection = await connections.OpenAsync(ct);
        var rows = await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            user.Id, user.UserName, user.NormalizedUserName, user.Email, user.NormalizedEmail, user.DisplayName,
            user.PasswordHash, user.SecurityStamp, NewConcurrencyStamp = newConcurrencyStamp, user.LockoutEnabled,
            user.LockoutEnd, user.TwoFactorEnabled, user.ApprovalLimit, user.DisabledAt, user.ConcurrencyStamp,
        }, cancellationToken: ct));
        if (rows == 1)
        {
            user.ConcurrencyStamp = newConcurrencyStamp;
        }
        return rows == 1;
    }

    /// <summary>Counts one failed sign-in in one statement and returns the new count.</summary>
    public async Task<int> IncrementAccessFailedCountAsync(long userId, CancellationToken ct)
    {
        const string sql = "UPDATE staff_users SET access_failed_count = access_failed_count + 1 WHERE id = @userId RETURNING access_failed_count";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { userId }, cancellationToken: ct));
    }

    /// <summary>
    /// Records that an authenticator code of time step <paramref name="timeStep"/> was accepted, in one guarded
    /// statement: true only if no code of this step or a later one was accepted before. Of two sign-ins racing
    /// with the same code, one gets true.
    /// </summary>
    public async Task<bool> TryUseAuthenticatorStepAsync(long userId, long timeStep, CancellationToken ct)
    {
        const string sql = """
            UPDATE staff_users SET totp_last_step = @timeStep
            WHERE id = @userId AND (totp_last_step IS NULL OR totp_last_step < @timeStep)
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { userId, timeStep }, cancellationToken: ct)) == 1;
    }

    public async Task ResetAccessFailedCountAsync(long userId, CancellationToken ct)
    {
        const string sql = "UPDATE staff_users SET access_failed_count = 0 WHERE id = @userId";
        await using var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { userId }, cancellationToken: ct));
    }

    public Task<StaffUser?> FindByIdAsync(long id, CancellationToken ct) =>
        FindAsync($"SELECT {Columns} FROM staff_users WHERE id = @value", id, ct);

    /// <summary>Reads the account inside the caller's transaction (admin changes read, check and write together).</summary>
    public async Task<StaffUser?> FindByIdAsync(long id, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = $"SELECT {Columns} FROM staff_users WHERE id = @id";
        return await tx.Connection!.QuerySingleOrDefaultAsync<StaffUser>(new CommandDefinition(sql, new { id }, tx, cancellationToken: ct));
    }

    public Task<StaffUser?> FindByNormalizedUserNameAsync(string normalizedUserName, CancellationToken ct) =>
        FindAsync($"SELECT {Columns} FROM staff_users WHERE normalized_user_name = @value", normalizedUserName, ct);

    public Task<StaffUser?> FindByNormalizedEmailAsync(string normalizedEmail, CancellationToken ct) =>
        FindAsync($"SELECT {Columns} FROM staff_users WHERE normalized_email = @value", normalizedEmail, ct);

    /// <summary>Every staff account with its roles, ordered by name (a back office has tens of them, not millions).</summary>
    public async Task<IReadOnlyList<StaffListEntry>> ListAsync(CancellationToken ct)
    {
        const string users = $"SELECT {Columns} FROM staff_users ORDER BY display_name, id";
        const string roles = """
            SELECT ur.user_id AS UserId, r.name AS Name FROM staff_user_roles ur
            JOIN staff_roles r ON r.id = ur.role_id ORDER BY r.name
            """;
        await using var connection = await connections.OpenAsync(ct);
        var all = await connection.QueryAsync<StaffUser>(new CommandDefinition(users, cancellationToken: ct));
        var byUser = (await connection.QueryAsync<(long UserId, string Name)>(new CommandDefinition(roles, cancellationToken: ct)))
            .ToLookup(r => r.UserId, r => r.Name);
        return [.. all.Select(u => new StaffListEntry(u, [.. byUser[u.Id]]))];
    }

    public async Task<IReadOnlyList<string>> GetRolesAsync(long userId, CancellationToken ct)
    {
        const string sql = """
            SELECT r.name FROM staff_user_roles ur JOIN staff_roles r ON r.id = ur.role_id
            WHERE ur.user_id = @userId ORDER BY r.name
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(sql, new { userId }, cancellationToken: ct))];
    }

    /// <summary>Adds the role (by normalized name); false when no such role exists. Adding a held role is a no-op.</summary>
    public async Task<bool> AddToRoleAsync(long userId, string normalizedRoleName, DbTransaction? tx, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO staff_user_roles (user_id, role_id)
            SELECT @userId, id FROM staff_roles WHERE normalized_name = @normalizedRoleName
            ON CONFLICT (user_id, role_id) DO NOTHING
            """;
        const string exists = "SELECT COUNT(*) FROM staff_roles WHERE normalized_name = @normalizedRoleName";
        return await WithConnectionAsync(tx, ct, async (c, t) =>
        {
            await c.ExecuteAsync(new CommandDefinition(sql, new { userId, normalizedRoleName }, t, cancellationToken: ct));
            return await c.ExecuteScalarAsync<long>(new CommandDefinition(exists, new { normalizedRoleName }, t, cancellationToken: ct)) > 0;
        });
    }

    public Task RemoveFromRoleAsync(long userId, string normalizedRoleName, DbTransaction? tx, CancellationToken ct)
    {
        const string sql = """
            DELETE FROM staff_user_roles
            WHERE user_id = @userId AND role_id IN (SELECT id FROM staff_roles WHERE normalized_name = @normalizedRoleName)
            """;
        return WithConnectionAsync(tx, ct, (c, t) =>
            c.ExecuteAsync(new CommandDefinition(sql, new { userId, normalizedRoleName }, t, cancellationToken: ct)));
    }

    public async Task<IReadOnlyList<StaffUser>> ListInRoleAsync(string normalizedRoleName, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {Columns} FROM staff_users
            WHERE id IN (SELECT ur.user_id FROM staff_user_roles ur JOIN staff_roles r ON r.id = ur.role_id WHERE r.normalized_name = @normalizedRoleName)
            ORDER BY id
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<StaffUser>(new CommandDefinition(sql, new { normalizedRoleName }, cancellationToken: ct))];
    }

    public async Task<string?> GetTokenAsync(long userId, string loginProvider, string name, CancellationToken ct)
    {
        const string sql = "SELECT value FROM staff_user_tokens WHERE user_id = @userId AND login_provider = @loginProvider AND name = @name";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(sql, new { userId, loginProvider, name }, cancellationToken: ct));
    }

    public Task SetTokenAsync(long userId, string loginProvider, string name, string? value, DbTransaction? tx, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO staff_user_tokens (user_id, login_provider, name, value) VALUES (@userId, @loginProvider, @name, @value)
            ON CONFLICT (user_id, login_provider, name) DO UPDATE SET value = excluded.value
            """;
        return WithConnectionAsync(tx, ct, (c, t) =>
            c.ExecuteAsync(new CommandDefinition(sql, new { userId, loginProvider, name, value }, t, cancellationToken: ct)));
    }

    public async Task RemoveTokenAsync(long userId, string loginProvider, string name, CancellationToken ct)
    {
        const string sql = "DELETE FROM staff_user_tokens WHERE user_id = @userId AND login_provider = @loginProvider AND name = @name";
        await using var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { userId, loginProvider, name }, cancellationToken: ct));
    }

    /// <summary>
    /// Replaces a recovery-code list only if it is still the one the caller read, so two sign-ins racing
    /// with the same code cannot both use it. False when it changed meanwhile.
    /// </summary>
    public async Task<bool> ReplaceTokenAsync(long userId, string loginProvider, string name, string expected, string? value, CancellationToken ct)
    {
        const string sql = """
            UPDATE staff_user_tokens SET value = @value
            WHERE user_id = @userId AND login_provider = @loginProvider AND name = @name AND value = @expected
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { userId, loginProvider, name, expected, value }, cancellationToken: ct)) == 1;
    }

    /// <summary>Admin changes, in the caller's transaction so the audit entry commits with them.</summary>
    public async Task<bool> SetApprovalLimitAsync(long userId, long approvalLimit, DbTransaction tx, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(approvalLimit);
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = "UPDATE staff_users SET approval_limit = @approvalLimit, concurrency_stamp = @stamp WHERE id = @userId";
        return await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { userId, approvalLimit, stamp = NewStamp() }, tx, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Disables (or enables) the account and changes its security stamp, which ends its sessions at their
    /// next validation. False when the account does not exist or is already in that state.
    /// </summary>
    public async Task<bool> SetDisabledAsync(long userId, DateTimeOffset? disabledAt, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var sql = disabledAt is null
            ? "UPDATE staff_users SET disabled_at = NULL, security_stamp = @stamp, concurrency_stamp = @stamp WHERE id = @userId AND disabled_at IS NOT NULL"
            : "UPDATE staff_users SET disabled_at = @disabledAt, security_stamp = @stamp, concurrency_stamp = @stamp WHERE id = @userId AND disabled_at IS NULL";
        return await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { userId, disabledAt, stamp = NewStamp() }, tx, cancellationToken: ct)) == 1;
    }

    /// <summary>Changes the security stamp, ending the account's sessions (after a role change, say).</summary>
    public async Task RenewSecurityStampAsync(long userId, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = "UPDATE staff_users SET security_stamp = @stamp, concurrency_stamp = @stamp WHERE id = @userId";
        await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { userId, stamp = NewStamp() }, tx, cancellationToken: ct));
    }

    /// <summary>Ends a lockout and forgets the failed tries.</summary>
    public async Task UnlockAsync(long userId, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = "UPDATE staff_users SET lockout_end = NULL, access_failed_count = 0, concurrency_stamp = @stamp WHERE id = @userId";
        await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { userId, stamp = NewStamp() }, tx, cancellationToken: ct));
    }

    /// <summary>Turns two-factor off and forgets the authenticator key and recovery codes; ends the account's sessions.</summary>
    public async Task ResetTwoFactorAsync(long userId, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = """
            UPDATE staff_users SET two_factor_enabled = @off, security_stamp = @stamp, concurrency_stamp = @stamp WHERE id = @userId;
            DELETE FROM staff_user_tokens WHERE user_id = @userId;
            """;
        await tx.Connection!.ExecuteAsync(new CommandDefinition(sql, new { userId, off = false, stamp = NewStamp() }, tx, cancellationToken: ct));
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    private async Task<StaffUser?> FindAsync(string sql, object value, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StaffUser>(new CommandDefinition(sql, new { value }, cancellationToken: ct));
    }

    private async Task<T> WithConnectionAsync<T>(DbTransaction? tx, CancellationToken ct, Func<DbConnection, DbTransaction?, Task<T>> work)
    {
        if (tx is not null)
        {
            return await work(tx.Connection!, tx);
        }
        await using var connection = await connections.OpenAsync(ct);
        return await work(connection, null);
    }
}
