using System.Data.Common;
using System.Globalization;
using System.Net.Mail;
using System.Text.Json;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Database.Staff;
using ClaimsOffice.Portal.Features.Staff.Identity;
using Microsoft.AspNetCore.Identity;

namespace ClaimsOffice.Portal.Features.Staff.Admin;

/// <summary>What an admin action did, in words for the person who asked; <see cref="Link"/> is an invitation's set-password address.</summary>
public sealed record StaffAdminResult(bool Succeeded, string Message, string? Link = null)
{
    public static StaffAdminResult Refused(string message) => new(false, message);
}

/// <summary>
/// Admin actions on staff accounts: invite, disable and enable, roles, approval limits, unlock, reset two-factor.
/// Each checks its input, changes the account and appends its audit entry in one transaction; bad input
/// changes nothing. Disabling and role changes renew the security stamp, so open sessions end at their next check.
/// </summary>
public sealed class StaffAdminService(
    IDbConnectionFactory connections,
    StaffUserRepository staff,
    AuditLog audit,
    OutboxRepository outbox,
    UserManager<StaffUser> users,
    TimeProvider clock)
{
    public const int MaxDisplayNameLength = 100;
    public const int MaxEmailLength = 254;
    /// <summary>A sanity bound (¥1,000,000,000,000): anything larger is a typing mistake.</summary>
    public const long MaxApprovalLimit = 1_000_000_000_000;

    public static readonly IReadOnlyList<string> AllRoles = [StaffRoles.Agent, StaffRoles.Finance, StaffRoles.Admin];

    public Task<IReadOnlyList<StaffListEntry>> ListAsync(CancellationToken ct) => staff.ListAsync(ct);

    /// <summary>Creates an account without a password and returns (and e-mails) a one-time link to choose one.</summary>
    public async Task<StaffAdminResult> InviteAsync(string actor, string? email, string? displayName, IReadOnlyCollection<string> roles, string? approvalLimit, string baseUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roles);
        email = email?.Trim();
        displayName = displayName?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > MaxEmailLength || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            return StaffAdminResult.Refused("Enter a valid e-mail address, like name@claims.example.");
        }
        if (string.IsNullOrEmpty(displayName) || displayName.Length > MaxDisplayNameLength)
        {
            return StaffAdminResult.Refused($"Enter the person's name (up to {MaxDisplayNameLength} characters).");
        }
        if (RolesError(roles) is { } rolesError)
        {
            return StaffAdminResult.Refused(rolesError);
        }
        if (!TryParseLimit(approvalLimit, out var limit, out var limitError))
        {
            return StaffAdminResult.Refused(limitError);
        }
        if (await users.FindByEmailAsync(email) is not null)
        {
            return StaffAdminResult.Refused($"There is already a staff account for {email}.");
        }

        var now = clock.GetUtcNow();
        var user = new StaffUser
        {
            UserName = email,
            NormalizedUserName = users.NormalizeName(email),
            Email = email,
            NormalizedEmail = users.NormalizeEmail(email),
            DisplayName = displayName,
            SecurityStamp = NewStamp(),
            ConcurrencyStamp = NewStamp(),
            ApprovalLimit = limit,
            CreatedAt = now,
        };
        try
        {
            string link;
            await using (var connection = await connections.OpenAsync(ct))
            await using (var tx = await connection.BeginTransactionAsync(ct))
            {
                await staff.InsertAsync(user, tx, ct);
                foreach (var role in roles)
                {
                    await staff.AddToRoleAsync(user.Id, users.NormalizeName(role), tx, ct);
                }
                // The token depends only on the user's id and security stamp, both known now.
                var token = await users.GeneratePasswordResetTokenAsync(user);
                link = SetPasswordLink(baseUrl, email, token);
                await outbox.EnqueueAsync(InvitationMail(user, link, now), tx, ct);
                await audit.AppendAsync(new AuditEntry(actor, "staff.invited", "staff_user", user.Id.ToString(CultureInfo.InvariantCulture),
                    JsonSerializer.Serialize(new { email, displayName, roles, approvalLimit = limit }), now), tx, ct);
                await tx.CommitAsync(ct);
            }
            return new StaffAdminResult(true, $"{displayName} is invited. Send them this link to choose a password (it was also e-mailed to {email}).", link);
        }
        catch (DbException e) when (connections.Dialect.IsUniqueViolation(e))
        {
            return StaffAdminResult.Refused($"There is already a staff account for {email}.");
        }
    }

    /// <summary>A fresh set-password link for someone who lost theirs (the old one stops working).</summary>
    public async Task<StaffAdminResult> ReinviteAsync(long actorId, long userId, string baseUrl, CancellationToken ct)
    {
        var user = await staff.FindByIdAsync(userId, ct);
        if (user is null)
        {
            return StaffAdminResult.Refused("That staff account does not exist.");
        }
        var now = clock.GetUtcNow();
        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await staff.RenewSecurityStampAsync(user.Id, tx, ct);
        var renewed = await FindInAsync(user.Id, tx, ct) ?? user;
        var link = SetPasswordLink(baseUrl, user.Email, await users.GeneratePasswordResetTokenAsync(renewed));
        await outbox.EnqueueAsync(InvitationMail(renewed, link, now), tx, ct);
        await audit.AppendAsync(Entry(actorId, "staff.reinvited", user.Id, new { user.Email }, now), tx, ct);
        await tx.CommitAsync(ct);
        return new StaffAdminResult(true, $"A new set-password link for {user.DisplayName} (also e-mailed).", link);
    }

    public Task<StaffAdminResult> DisableAsync(long actorId, long userId, CancellationToken ct) =>
        actorId == userId
            ? Task.FromResult(StaffAdminResult.Refused("You cannot disable your own account."))
            : ChangeAsync(actorId, userId, "staff.disabled", new { }, async (user, tx, now) =>
                await staff.SetDisabledAsync(user.Id, now, tx, ct) ? $"{user.DisplayName} is disabled and signed out." : null,
                "That account is already disabled.", ct);

    public Task<StaffAdminResult> EnableAsync(long actorId, long userId, CancellationToken ct) =>
        ChangeAsync(actorId, userId, "staff.enabled", new { }, async (user, tx, _) =>
            await staff.SetDisabledAsync(user.Id, null, tx, ct) ? $"{user.DisplayName} can sign in again." : null,
            "That account is not disabled.", ct);

    public async Task<StaffAdminResult> SetRolesAsync(long actorId, long userId, IReadOnlyCollection<string> roles, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (RolesError(roles) is { } error)
        {
            return StaffAdminResult.Refused(error);
        }
        if (actorId == userId && !roles.Contains(StaffRoles.Admin, StringComparer.OrdinalIgnoreCase))
        {
            return StaffAdminResult.Refused("You cannot remove your own Admin role; ask another administrator.");
        }
        return await ChangeAsync(actorId, userId, "staff.roles-changed", new { roles }, async (user, tx, _) =>
        {
            foreach (var role in AllRoles)
            {
                if (roles.Contains(role, StringComparer.OrdinalIgnoreCase))
                {
                    await staff.AddToRoleAsync(user.Id, users.NormalizeName(role), tx, ct);
                }
                else
                {
                    await staff.RemoveFromRoleAsync(user.Id, users.NormalizeName(role), tx, ct);
                }
            }
            // The session carries the roles: end it so the next sign-in picks up the new ones.
            await staff.RenewSecurityStampAsync(user.Id, tx, ct);
            return $"{user.DisplayName} now has: {string.Join(", ", roles)}.";
        }, null, ct);
    }

    public async Task<StaffAdminResult> SetApprovalLimitAsync(long actorId, long userId, string? approvalLimit, CancellationToken ct)
    {
        if (!TryParseLimit(approvalLimit, out var limit, out var error))
        {
            return StaffAdminResult.Refused(error);
        }
        return await ChangeAsync(actorId, userId, "staff.approval-limit-set", new { approvalLimit = limit }, async (user, tx, _) =>
            await staff.SetApprovalLimitAsync(user.Id, limit, tx, ct)
                ? string.Create(CultureInfo.InvariantCulture, $"{user.DisplayName} may now approve up to ¥{limit:N0} alone.")
                : null, null, ct);
    }

    public Task<StaffAdminResult> UnlockAsync(long actorId, long userId, CancellationToken ct) =>
        ChangeAsync(actorId, userId, "staff.unlocked", new { }, async (user, tx, _) =>
        {
            await staff.UnlockAsync(user.Id, tx, ct);
            return $"{user.DisplayName} can try to sign in again.";
        }, null, ct);

    /// <summary>For a lost phone: two-factor off, key and recovery codes gone, sessions ended; they enrol again at next sign-in.</summary>
    public Task<StaffAdminResult> ResetTwoFactorAsync(long actorId, long userId, CancellationToken ct) =>
        ChangeAsync(actorId, userId, "staff.two-factor-reset", new { }, async (user, tx, _) =>
        {
            await staff.ResetTwoFactorAsync(user.Id, tx, ct);
            return $"Two-factor sign-in is reset for {user.DisplayName}. They set it up again at their next sign-in.";
        }, null, ct);

    /// <summary>"1,000,000", "¥500000" or "0": whole yen (the claims' minor unit), not negative, not absurd.</summary>
    public static bool TryParseLimit(string? text, out long limit, out string error)
    {
        limit = 0;
        error = "";
        var clean = (text ?? "").Trim().TrimStart('¥', '￥').Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (clean.StartsWith('-'))
        {
            error = "The approval limit cannot be negative. Enter 0 for someone who approves nothing alone.";
            return false;
        }
        if (!long.TryParse(clean, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit > MaxApprovalLimit)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"Enter the approval limit as a whole number of yen, from 0 to {MaxApprovalLimit:N0} (for example 500,000).");
            limit = 0;
            return false;
        }
        return true;
    }

    private static string? RolesError(IReadOnlyCollection<string> roles)
    {
        if (roles.Count == 0)
        {
            return "Choose at least one role.";
        }
        var unknown = roles.FirstOrDefault(r => !AllRoles.Contains(r, StringComparer.OrdinalIgnoreCase));
        return unknown is null ? null : $"There is no role '{unknown}'. Roles are Agent, Finance and Admin.";
    }

    private async Task<StaffAdminResult> ChangeAsync(long actorId, long userId, string action, object data,
        Func<StaffUser, DbTransaction, DateTimeOffset, Task<string?>> change, string? noChange, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var user = await FindInAsync(userId, tx, ct);
        if (user is null)
        {
            return StaffAdminResult.Refused("That staff account does not exist.");
        }
        var message = await change(user, tx, now);
        if (message is null)
        {
            await tx.RollbackAsync(ct);
            return StaffAdminResult.Refused(noChange ?? "Nothing changed.");
        }
        await audit.AppendAsync(Entry(actorId, action, user.Id, data, now), tx, ct);
        await tx.CommitAsync(ct);
        return new StaffAdminResult(true, message);
    }

    private async Task<StaffUser?> FindInAsync(long userId, DbTransaction tx, CancellationToken ct) =>
        await staff.FindByIdAsync(userId, tx, ct);

    private static AuditEntry Entry(long actorId, string action, long userId, object data, DateTimeOffset now) =>
        new(Actor(actorId), action, "staff_user", userId.ToString(CultureInfo.InvariantCulture), JsonSerializer.Serialize(data), now);

    /// <summary>How staff appear as the actor of an audit entry.</summary>
    public static string Actor(long staffUserId) => string.Create(CultureInfo.InvariantCulture, $"staff:{staffUserId}");

    private static string SetPasswordLink(string baseUrl, string email, string token) =>
        $"{baseUrl.TrimEnd('/')}/staff/set-password?email={Uri.EscapeDataString(email)}&token={Uri.EscapeDataString(token)}";

    private static OutboxMessage InvitationMail(StaffUser user, string link, DateTimeOffset now) => new()
    {
        Channel = NotificationChannels.Email,
        Recipient = user.Email,
        Subject = "Your ClaimsOffice staff account",
        Body = $"Hello {user.DisplayName}, an administrator created a ClaimsOffice staff account for you. Choose your password here: {link}",
        DedupeKey = $"staff-invite:{user.Id}:{user.SecurityStamp}",
        CreatedAt = now,
    };

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}
