using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ClaimsOffice.Database.Staff;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>
/// ASP.NET Core Identity's user store over <see cref="StaffUserRepository"/> (Dapper, SQLite and PostgreSQL).
/// Only what Identity asks of a store lives here; the SQL stays in the repository.
/// </summary>
public sealed class StaffUserStore(StaffUserRepository users, IDataProtectionProvider protection) :
    IUserPasswordStore<StaffUser>,
    IUserEmailStore<StaffUser>,
    IUserRoleStore<StaffUser>,
    IUserSecurityStampStore<StaffUser>,
    IUserLockoutStore<StaffUser>,
    IUserTwoFactorStore<StaffUser>,
    IUserAuthenticatorKeyStore<StaffUser>,
    IUserTwoFactorRecoveryCodeStore<StaffUser>
{
    private const string InternalProvider = "[ClaimsOffice]";
    private const string AuthenticatorKeyName = "AuthenticatorKey";
    private const string RecoveryCodesName = "RecoveryCodes";

    /// <summary>Marks an authenticator key encrypted with Data Protection; a value without it is a key written before (plain).</summary>
    private const string ProtectedKeyPrefix = "dp1:";

    /// <summary>Marks a salted recovery-code list; a value without it holds the earlier unsalted SHA-256 hashes.</summary>
    private const string SaltedCodesPrefix = "pbkdf2-sha256-100000:";

    private const int CodeHashIterations = 100_000;

    private readonly IDataProtector _keys = protection.CreateProtector("ClaimsOffice.Staff.AuthenticatorKey.v1");

    public void Dispose()
    {
        // Nothing held: the repository opens a connection per call.
    }

    // ----- users

    public async Task<IdentityResult> CreateAsync(StaffUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrEmpty(user.ConcurrencyStamp))
        {
            user.ConcurrencyStamp = NewStamp();
        }
        if (user.CreatedAt == default)
        {
            user.CreatedAt = DateTimeOffset.UtcNow;
        }
        await users.InsertAsync(user, null, cancellationToken);
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(StaffUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return await users.UpdateAsync(user, NewStamp(), cancellationToken)
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure());
    }

    public Task<IdentityResult> DeleteAsync(StaffUser user, CancellationToken cancellationToken) =>
        // Staff accounts are disabled, never deleted: the audit log and decisions keep pointing at them.
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "NoDelete", Description = "Staff accounts are disabled, not deleted." }));

    public Task<StaffUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        long.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? users.FindByIdAsync(id, cancellationToken)
            : Task.FromResult<StaffUser?>(null);

    public Task<StaffUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        users.FindByNormalizedUserNameAsync(normalizedUserName, cancellationToken);

    public Task<string> GetUserIdAsync(StaffUser user, CancellationToken cancellationToken) =>
        Task.FromResult(Required(user).Id.ToString(CultureInfo.InvariantCulture));

    public Task<string?> GetUserNameAsync(StaffUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(Required(user).UserName);

    public Task SetUserNameAsync(StaffUser user, string? userName, CancellationToken cancellationToken)
    {
        Required(user).UserName = userName ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(StaffUser user, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(Required(user).NormalizedUserName);

    public Task SetNormalizedUserNameAsync(StaffUser user, string? normalizedName, CancellationToken cancellationToken)
    {
        Required(user).NormalizedUserName = normalizedName ?? "";
        return Task.CompletedTask;
    }

    // ----- password

    public Task SetPasswordHashAsync(StaffUser user, string? passwordHash, CancellationToken cancellationToken)
    {
        Required(user).PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(StaffUser user, CancellationToken cancellationToken) => Task.FromResult(Required(user).PasswordHash);

    public Task<bool> HasPasswordAsync(StaffUser user, CancellationToken cancellationToken) => Task.FromResult(Required(user).PasswordHash is not null);

    // ----- e-mail (the e-mail address is also the user name)

    public Task SetEmailAsync(StaffUser user, string? email, CancellationToken cancellationToken)
    {
        Required(user).Email = email ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetEmailAsync(StaffUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(Required(user).Email);

    // Invitations go to the address an admin typed; the set-password link proves it reaches the person.
    public Task<bool> GetEmailConfirmedAsync(StaffUser user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetEmailConfirmedAsync(StaffUser user, bool confirmed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<StaffUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        users.FindByNormalizedEmailAsync(normalizedEmail, cancellationToken);

    public Task<string?> GetNormalizedEmailAsync(StaffUser user, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(Required(user).NormalizedEmail);

    public Task SetNormalizedEmailAsync(StaffUser user, string? normalizedEmail, CancellationToken cancellationToken)
    {
        Required(user).NormalizedEmail = normalizedEmail ?? "";
        return Task.CompletedTask;
    }

    // ----- roles (written at once: Identity's role calls are followed by an update that has nothing to add)

    public async Task AddToRoleAsync(StaffUser user, string roleName, CancellationToken cancellationToken)
    {
        if (!await users.AddToRoleAsync(Required(user).Id, roleName, null, cancellationToken))
        {
            throw new InvalidOperationException($"There is no staff role '{roleName}'.");
        }
    }

    public Task RemoveFromRoleAsync(StaffUser user, string roleName, CancellationToken cancellationToken) =>
        users.RemoveFromRoleAsync(Required(user).Id, roleName, null, cancellationToken);

    public async Task<IList<string>> GetRolesAsync(StaffUser user, CancellationToken cancellationToken) =>
        [.. await users.GetRolesAsync(Required(user).Id, cancellationToken)];

    public async Task<bool> IsInRoleAsync(StaffUser user, string roleName, CancellationToken cancellationToken) =>
        (await users.GetRolesAsync(Required(user).Id, cancellationToken)).Any(r => string.Equals(r, roleName, StringComparison.OrdinalIgnoreCase));

    public async Task<IList<StaffUser>> GetUsersInRoleAsync(string roleName, CancellationToken cancellationToken) =>
        [.. await users.ListInRoleAsync(roleName, cancellationToken)];

    // ----- security stamp

    public Task SetSecurityStampAsync(StaffUser user, string stamp, CancellationToken cancellationToken)
    {
        Required(user).SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(StaffUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(Required(user).SecurityStamp);

    // ----- lockout

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(StaffUser user, CancellationToken cancellationToken) => Task.FromResult(Required(user).LockoutEnd);

    public Task SetLockoutEndDateAsync(StaffUser user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        Required(user).LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    public async Task<int> IncrementAccessFailedCountAsync(StaffUser user, CancellationToken cancellationToken)
    {
        Required(user).AccessFailedCount = await users.IncrementAccessFailedCountAsync(user.Id, cancellationToken);
        return user.AccessFailedCount;
    }

    public async Task ResetAccessFailedCountAsync(StaffUser user, CancellationToken cancellationToken)
    {
        await users.ResetAccessFailedCountAsync(Required(user).Id, cancellationToken);
        user.AccessFailedCount = 0;
    }

    public Task<int> GetAccessFailedCountAsync(StaffUser user, CancellationToken cancellationToken) => Task.FromResult(Required(user).AccessFailedCount);

    public Task<bool> GetLockoutEnabledAsync(StaffUser user, CancellationToken cancellationToken) => Task.FromResult(Required(user).LockoutEnabled);

    public Task SetLockoutEnabledAsync(StaffUser user, bool enabled, CancellationToken cancellationToken)
    {
        Required(user).LockoutEnabled = enabled;
        return Task.CompletedTask;
    }

    // ----- two-factor

    public Task SetTwoFactorEnabledAsync(StaffUser user, bool enabled, CancellationToken cancellationToken)
    {
        Required(user).TwoFactorEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task<bool> GetTwoFactorEnabledAsync(StaffUser user, CancellationToken cancellationToken) => Task.FromResult(Required(user).TwoFactorEnabled);

    /// <summary>
    /// The authenticator key is the seed of every future code, so it is stored encrypted with Data Protection:
    /// a copy of the database without the key ring gives no codes.
    /// </summary>
    public Task SetAuthenticatorKeyAsync(StaffUser user, string key, CancellationToken cancellationToken) =>
        users.SetTokenAsync(Required(user).Id, InternalProvider, AuthenticatorKeyName, ProtectedKeyPrefix + _keys.Protect(key), null, cancellationToken);

    public async Task<string?> GetAuthenticatorKeyAsync(StaffUser user, CancellationToken cancellationToken)
    {
        var stored = await users.GetTokenAsync(Required(user).Id, InternalProvider, AuthenticatorKeyName, cancellationToken);
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }
        if (stored.StartsWith(ProtectedKeyPrefix, StringComparison.Ordinal))
        {
            return _keys.Unprotect(stored[ProtectedKeyPrefix.Length..]);
        }
        // Written in plain before keys were encrypted: encrypt it now (only if nobody changed it meanwhile).
        await users.ReplaceTokenAsync(user.Id, InternalProvider, AuthenticatorKeyName, stored, ProtectedKeyPrefix + _keys.Protect(stored), cancellationToken);
        return stored;
    }

    /// <summary>
    /// Recovery codes are kept only as salted, slow hashes (PBKDF2, one salt per list): a copy of the database
    /// does not hand them out, and guessing them offline costs as much as guessing a password. Identity hands
    /// the store the typed code to compare (<see cref="RedeemCodeAsync"/>), so nothing needs the codes back.
    /// </summary>
    public Task ReplaceCodesAsync(StaffUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        var salt = RandomNumberGenerator.GetBytes(16);
        var value = SaltedCodesPrefix + Convert.ToBase64String(salt) + ";" + string.Join(';', recoveryCodes.Select(c => SaltedHash(c, salt)));
        return users.SetTokenAsync(Required(user).Id, InternalProvider, RecoveryCodesName, value, null, cancellationToken);
    }

    public async Task<bool> RedeemCodeAsync(StaffUser user, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var stored = await users.GetTokenAsync(Required(user).Id, InternalProvider, RecoveryCodesName, cancellationToken);
        if (string.IsNullOrEmpty(stored))
        {
            return false;
        }
        var (head, hashes) = ParseCodes(stored);
        var typed = head is null ? LegacyHash(code) : SaltedHash(code, Convert.FromBase64String(head[SaltedCodesPrefix.Length..]));
        var match = hashes.FindIndex(h => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(h), Encoding.ASCII.GetBytes(typed)));
        if (match < 0)
        {
            return false;
        }
        hashes.RemoveAt(match);
        var remaining = head is null ? string.Join(';', hashes) : string.Join(';', hashes.Prepend(head));
        // Guarded on the list read: of two sign-ins racing with one code, only one redeems it.
        return await users.ReplaceTokenAsync(user.Id, InternalProvider, RecoveryCodesName, stored, remaining, cancellationToken);
    }

    public async Task<int> CountCodesAsync(StaffUser user, CancellationToken cancellationToken)
    {
        var stored = await users.GetTokenAsync(Required(user).Id, InternalProvider, RecoveryCodesName, cancellationToken);
        return string.IsNullOrEmpty(stored) ? 0 : ParseCodes(stored).Hashes.Count;
    }

    /// <summary>The salt part (null for the earlier unsalted lists) and the hashes of the codes not used yet.</summary>
    private static (string? Head, List<string> Hashes) ParseCodes(string stored)
    {
        var parts = stored.Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (parts.Count > 0 && parts[0].StartsWith(SaltedCodesPrefix, StringComparison.Ordinal))
        {
            return (parts[0], parts[1..]);
        }
        return (null, parts);
    }

    /// <summary>Codes are compared as people type them: case, spaces and the dash in the middle do not matter.</summary>
    internal static string SaltedHash(string code, byte[] salt)
    {
        var normalized = code.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
        return Convert.ToHexStringLower(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(normalized), salt, CodeHashIterations, HashAlgorithmName.SHA256, 32));
    }

    /// <summary>How lists written before salting were hashed; still redeemable so nobody loses their codes.</summary>
    private static string LegacyHash(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim().ToUpperInvariant())));

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    private static StaffUser Required(StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user;
    }
}
