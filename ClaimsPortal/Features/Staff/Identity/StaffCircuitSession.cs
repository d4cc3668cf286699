using ClaimsOffice.Database.Staff;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>
/// When this circuit (one open interactive page) last received anything from its browser: clicks, typing,
/// navigation. The staff cookie only slides with HTTP requests, and an interactive page makes none, so the
/// circuit keeps its own idle clock.
/// </summary>
public sealed class StaffCircuitActivity(IOptionsMonitor<CookieAuthenticationOptions> cookies) : CircuitHandler
{
    private readonly TimeProvider _clock = cookies.Get(StaffPolicies.Scheme).TimeProvider ?? TimeProvider.System;
    private long _lastInboundTicks = (cookies.Get(StaffPolicies.Scheme).TimeProvider ?? TimeProvider.System).GetUtcNow().UtcTicks;

    public DateTimeOffset LastInbound => new(Interlocked.Read(ref _lastInboundTicks), TimeSpan.Zero);

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            Interlocked.Exchange(ref _lastInboundTicks, _clock.GetUtcNow().UtcTicks);
            return next(context);
        };
}

/// <summary>
/// The signed-in user of interactive pages, re-checked while the page stays open: a staff member's page ends
/// (shows the staff sign-in) after <see cref="StaffIdentityOptions.IdleTimeout"/> without input, as the cookie
/// would, and when the account is disabled, its roles change or two-factor is reset (security stamp).
/// Victims' sessions are left as they are.
/// </summary>
public sealed class StaffCircuitAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    StaffCircuitActivity activity,
    IOptionsMonitor<CookieAuthenticationOptions> cookies,
    IOptions<StaffIdentityOptions> options) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.SessionCheckInterval > TimeSpan.Zero
        ? options.Value.SessionCheckInterval
        : TimeSpan.FromSeconds(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        var user = authenticationState.User;
        if (!user.IsStaff())
        {
            return true;
        }
        var now = (cookies.Get(StaffPolicies.Scheme).TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (now - activity.LastInbound > options.Value.IdleTimeout)
        {
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<StaffUser>>();
        return await signIn.ValidateSecurityStampAsync(user) is not null;
    }
}
