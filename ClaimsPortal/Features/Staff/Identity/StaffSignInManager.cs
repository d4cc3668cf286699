using System.Security.Claims;
using ClaimsOffice.Database.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>
/// Identity's sign-in manager on the staff cookie scheme, refusing disabled accounts both at sign-in and
/// when an existing session's security stamp is checked.
/// </summary>
public sealed class StaffSignInManager : SignInManager<StaffUser>
{
    public StaffSignInManager(
        UserManager<StaffUser> userManager,
        IHttpContextAccessor contextAccessor,
        IUserClaimsPrincipalFactory<StaffUser> claimsFactory,
        IOptions<IdentityOptions> optionsAccessor,
        ILogger<SignInManager<StaffUser>> logger,
        IAuthenticationSchemeProvider schemes,
        IUserConfirmation<StaffUser> confirmation,
        StaffSignInThrottle throttle)
        : base(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
    {
        AuthenticationScheme = StaffPolicies.Scheme;
        _throttle = throttle;
    }

    private readonly StaffSignInThrottle _throttle;

    /// <summary>The password step, limited per account name (see <see cref="StaffSignInThrottle"/>).</summary>
    public override Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure) =>
        ThrottledAsync("name:" + UserManager.NormalizeName(userName), () => base.PasswordSignInAsync(userName, password, isPersistent, lockoutOnFailure));

    /// <summary>The code step, limited per account (the one that passed the password step).</summary>
    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient) =>
        await GetTwoFactorAuthenticationUserAsync() is { } user
            ? await ThrottledAsync(AccountKey(user), () => base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient))
            : SignInResult.Failed;

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode) =>
        await GetTwoFactorAuthenticationUserAsync() is { } user
            ? await ThrottledAsync(AccountKey(user), () => base.TwoFactorRecoveryCodeSignInAsync(recoveryCode))
            : SignInResult.Failed;

    public override async Task<bool> CanSignInAsync(StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.DisabledAt is null && await base.CanSignInAsync(user);
    }

    public override async Task<StaffUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is { DisabledAt: null } ? user : null;
    }

    private static string AccountKey(StaffUser user) => "id:" + user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<SignInResult> ThrottledAsync(string account, Func<Task<SignInResult>> check)
    {
        using var lease = await _throttle.AcquireAsync(account, Context.RequestAborted);
        return lease.IsAcquired ? await check() : StaffSignInThrottled.Instance;
    }
}

/// <summary>The staff principal: Identity's claims plus the person's roles and display name.</summary>
public sealed class StaffClaimsPrincipalFactory(UserManager<StaffUser> userManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser>(userManager, options)
{
    public const string DisplayNameClaim = "staff_display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        foreach (var role in await UserManager.GetRolesAsync(user))
        {
            identity.AddClaim(new Claim(Options.ClaimsIdentity.RoleClaimType, role));
        }
        return identity;
    }
}
