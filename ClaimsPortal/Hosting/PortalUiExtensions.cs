using ClaimsOffice.Portal.Components;
using ClaimsOffice.Portal.Components.Ui;
using ClaimsOffice.Worker.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ClaimsOffice.Portal.Hosting;

/// <summary>
/// Everything the portal's pages need to render (static SSR, sign-in cookie, display time zone),
/// kept apart from data services so each can be wired and tested on its own.
/// </summary>
public static class PortalUiExtensions
{
    public static IServiceCollection AddPortalUi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Static server-side rendering only: the interactive runtime is not available (docs/ENVIRONMENT.md).
        services.AddRazorComponents();
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
        // Plain files from wwwroot: works the same in every environment and under test hosts.
        // (MapStaticAssets and scoped .razor.css need the build's static-web-assets manifest, which
        // a non-published run outside Development does not read.)
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapRazorComponents<App>();
        return app;
    }
}
