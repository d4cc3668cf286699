using ClaimsOffice.Portal.Components;
using ClaimsOffice.Portal.Components.Ui;
using ClaimsOffice.Worker.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using MudBlazor.Services;

namespace ClaimsOffice.Portal.Hosting;

/// <summary>
/// Everything the portal's pages need to render (Blazor Server with MudBlazor, sign-in cookie, display time zone),
/// kept apart from data services so each can be wired and tested on its own.
/// </summary>
public static class PortalUiExtensions
{
    public static IServiceCollection AddPortalUi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Interactive server components where a page needs them; forms and sign-in stay server-rendered (docs/adr/0006).
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddAntiforgery();
        // Emit ¥ and Japanese names as characters, not numeric entities: smaller pages, readable source.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

        // The layout shows who is signed in; the account pages own how they sign in.
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/me/sign-in";
                options.LogoutPath = "/me/sign-out";
            });
        services.AddAuthorization();

        // One setting for the zone of pages and of the engine's messages, so a due date reads the same in both.
        var worker = new WorkerOptions();
        configuration.GetSection(WorkerOptions.Section).Bind(worker);
        services.AddSingleton(DisplayTimeZone.FromId(worker.TimeZone));
        return services;
    }

    public static WebApplication MapPortalUi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        // Unknown addresses get the friendly page instead of an empty 404 body.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // wwwroot plus the packages' assets (_framework/blazor.web.js, _content/MudBlazor/…); outside a publish
        // folder the latter come from the build's manifest, which AddClaimsPortal enables in every environment.
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
