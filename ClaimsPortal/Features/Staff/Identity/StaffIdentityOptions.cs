namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>Staff sign-in settings, bound from the <c>Staff</c> configuration section.</summary>
public sealed class StaffIdentityOptions
{
    public const string Section = "Staff";

    /// <summary>A staff session ends after this long without a request (sliding).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Wrong passwords or codes in a row before the account is locked.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often a session is checked against the account (disabled, roles changed, password reset).</summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sign-in, two-factor and set-password posts allowed per client address per minute.</summary>
    public int SignInPostsPerMinute { get; set; } = 20;

    /// <summary>Password and code checks allowed per staff account per minute, from all addresses together (one at a time).</summary>
    public int SignInAttemptsPerAccountPerMinute { get; set; } = 10;

    /// <summary>How long an invitation's set-password link stays valid.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(3);
}
