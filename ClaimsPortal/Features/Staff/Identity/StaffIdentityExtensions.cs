using System.Threading.RateLimiting;
using ClaimsOffice.Database.Staff;
using ClaimsOffice.Portal.Features.Staff.Admin;
using ClaimsOffice.Portal.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;

namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>
/// Staff identity: ASP.NET Core Identity over the Dapper store, on a cookie scheme of its own next to the
/// victims' cookie, with lockout, two-factor and idle expiry; and the staff authorization policies.
/// </summary>
public static class StaffIdentityExtensions
{
    /// <summary>The default scheme: picks the staff or the victim cookie by address (see <see cref="SelectScheme"/>).</summary>
    public const string PortalScheme = "Portal";
    public const string SignInRateLimit = "staff-sign-in";
    public const string SignInPath = "/staff/sign-in";
    public const string EnrolPath = "/staff/two-factor/enrol";
    public const string StaffCookieName = ".ClaimsOffice.Staff";

    public static IServiceCollection AddStaffIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new StaffIdentityOptions();
        configuration.GetSection(StaffIdentityOptions.Section).Bind(options);
        services.AddOptions<StaffIdentityOptions>().Bind(configuration.GetSection(StaffIdentityOptions.Section));

        services.AddSingleton<StaffUserRepository>();
        services.AddSingleton<StaffSignInThrottle>();
        // Interactive pages: the idle timeout and account changes end an open page's staff session too.
        services.AddScoped<StaffCircuitActivity>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<StaffCircuitActivity>());
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, StaffCircuitAuthenticationStateProvider>();
        services.AddScoped<StaffAdminService>();
        services.AddScoped<StaffDemoAccounts>();
        // After PortalStartup (registered earlier): the staff tables exist by then.
        services.AddSingleton<StaffStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<StaffStartup>());
        services.AddSingleton<IWelcomeLines>(sp => sp.GetRequiredService<StaffStartup>());
        services.AddHttpContextAccessor();
        services.AddIdentityCore<StaffUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = options.MaxFailedSignIns;
                o.Lockout.DefaultLockoutTimeSpan = options.LockoutDuration;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddUserStore<StaffUserStore>()
            .AddClaimsPrincipalFactory<StaffClaimsPrincipalFactory>()
            .AddSignInManager<StaffSignInManager>()
            // Only the set-password link and the authenticator app: no codes by e-mail or SMS for staff.
            .AddTokenProvider<DataProtectorTokenProvider<StaffUser>>(TokenOptions.DefaultProvider)
            // Identity's authenticator provider, plus refusing a code used once (StaffAuthenticatorTokenProvider).
            .AddTokenProvider<StaffAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = options.InvitationLifetime);
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = options.SessionCheckInterval;
            // Keep "passed two-factor" across the periodic re-issue of the staff principal.
            o.OnRefreshingPrincipal = context =>
            {
                var amr = context.CurrentPrincipal?.FindAll(StaffPrincipal.AuthenticationMethodClaim).ToList() ?? [];
                if (amr.Count > 0 && context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                {
                    identity.AddClaims(amr.Select(c => new System.Security.Claims.Claim(c.Type, c.Value)));
                }
                return Task.CompletedTask;
            };
        });

        services.AddAuthentication(PortalScheme)
            .AddPolicyScheme(PortalScheme, "Victim or staff, by address", o => o.ForwardDefaultSelector = SelectScheme)
            .AddCookie(StaffPolicies.Scheme, o =>
            {
                o.Cookie.Name = StaffCookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = SignInPath;
                o.LogoutPath = "/staff/sign-out";
                o.ExpireTimeSpan = options.IdleTimeout;
                o.SlidingExpiration = true;
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = SecurityStampValidator.ValidatePrincipalAsync,
                    OnRedirectToLogin = RedirectToSignInAsync,
                    OnRedirectToAccessDenied = RedirectToAccessDeniedAsync,
                };
            })
            // Identity's short-lived cookie between the password step and the code step.
            .AddCookie(IdentityConstants.TwoFactorUserIdScheme, o =>
            {
                o.Cookie.Name = ".ClaimsOffice.Staff.TwoFactor";
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            })
            // Registered because Identity's sign-in and sign-out touch them; staff never use "remember this browser" or external logins.
            .AddCookie(IdentityConstants.TwoFactorRememberMeScheme, o => o.Cookie.Name = ".ClaimsOffice.Staff.Remember")
            .AddCookie(IdentityConstants.ExternalScheme, o => o.Cookie.Name = ".ClaimsOffice.Staff.External");

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address. Wait a minute, then try again.", ct);
            };
            // Posts only: reading the sign-in page costs nothing, trying passwords is what is limited.
            o.AddPolicy(SignInRateLimit, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.SignInPostsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("read"));
        });
        return services.AddStaffAuthorization();
    }

    /// <summary>
    /// The staff policies. Every one authenticates with the staff cookie only, so a victim's session
    /// satisfies none; Finance and Admin also need a session that passed two-factor.
    /// </summary>
    public static IServiceCollection AddStaffAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.AnyStaff, p => Staff(p).RequireRole(StaffRoles.Agent, StaffRoles.Finance, StaffRoles.Admin))
            .AddPolicy(StaffPolicies.Agent, p => Staff(p).RequireRole(StaffRoles.Agent))
            .AddPolicy(StaffPolicies.Finance, p => Staff(p).RequireRole(StaffRoles.Finance).RequireClaim(StaffPrincipal.AuthenticationMethodClaim, StaffPrincipal.TwoFactorMethod))
            .AddPolicy(StaffPolicies.Admin, p => Staff(p).RequireRole(StaffRoles.Admin).RequireClaim(StaffPrincipal.AuthenticationMethodClaim, StaffPrincipal.TwoFactorMethod));
        return services;

        static AuthorizationPolicyBuilder Staff(AuthorizationPolicyBuilder p) =>
            p.AddAuthenticationSchemes(StaffPolicies.Scheme).RequireAuthenticatedUser();
    }

    public static WebApplication UseStaffIdentity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRateLimiter();
        app.MapStaffEndpoints();
        return app;
    }

    /// <summary>
    /// Staff addresses use the staff cookie; everything else the victims'. Blazor's circuit connection
    /// (/_blazor) carries whichever the browser has, staff first, so staff pages' circuits see the staff member.
    /// </summary>
    internal static string SelectScheme(HttpContext http)
    {
        var path = http.Request.Path;
        if (path.StartsWithSegments("/staff", StringComparison.OrdinalIgnoreCase))
        {
            return StaffPolicies.Scheme;
        }
        if (path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase) && http.Request.Cookies.ContainsKey(StaffCookieName))
        {
            return StaffPolicies.Scheme;
        }
        return CookieAuthenticationDefaults.AuthenticationScheme;
    }

    /// <summary>No staff session: a signed-in victim is refused (403), anyone else goes to the staff sign-in.</summary>
    private static async Task RedirectToSignInAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var victim = await context.HttpContext.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (victim.Succeeded)
        {
            await WriteForbiddenAsync(context.HttpContext, "This page is for ClaimsOffice staff. You are signed in to your wallet account.");
            return;
        }
        context.Response.Redirect(context.RedirectUri);
    }

    /// <summary>
    /// A staff member without the policy: Finance or Admin who have not set up two-factor are sent to set
    /// it up (their pages need it); anyone else is refused with 403.
    /// </summary>
    private static async Task RedirectToAccessDeniedAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var http = context.HttpContext;
        var user = http.User;
        var policies = http.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy) ?? [];
        var needsTwoFactor = policies.Any(p =>
            (p == StaffPolicies.Finance && user.IsInRole(StaffRoles.Finance)) ||
            (p == StaffPolicies.Admin && user.IsInRole(StaffRoles.Admin)));
        if (needsTwoFactor && !user.PassedTwoFactor())
        {
            var returnUrl = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
            context.Response.Redirect($"{EnrolPath}?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
            return;
        }
        await WriteForbiddenAsync(http, "Your staff role does not include this page. Ask an administrator if you need it.");
    }

    private static async Task WriteForbiddenAsync(HttpContext http, string message)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/html; charset=utf-8";
        var encoded = System.Net.WebUtility.HtmlEncode(message);
        await http.Response.WriteAsync($"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not allowed · ClaimsOffice</title>
            <link rel="stylesheet" href="/css/app.css"></head>
            <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem"><h1>Not allowed</h1><p data-testid="forbidden">{encoded}</p>
            <p><a href="/">Start page</a> · <a href="{SignInPath}">Staff sign-in</a></p></body></html>
            """, http.RequestAborted);
    }
}
