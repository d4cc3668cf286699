using Bunit;
using ClaimsOffice.Portal.Components.Ui;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ClaimsOffice.Portal.Tests.Support;

/// <summary>
/// A bUnit context with what MudBlazor components need (their services, JS calls answered loosely) and the
/// portal's display zone. MudBlazor's services are only asynchronously disposable, so xUnit disposes this
/// context through <see cref="IAsyncLifetime"/> before its synchronous Dispose, which then has nothing left to do.
/// </summary>
public abstract class MudComponentTest : BunitContext, IAsyncLifetime
{
    static MudComponentTest()
    {
        // The pages load from a real database: bUnit's default second is too short for the first render on a
        // cold CI machine (a claim page's first load on PostgreSQL missed it once). A wait ends as soon as its
        // assertion passes, so this only changes how long a failing test takes to say so.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
    }

    protected MudComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(DisplayTimeZone.FromId("Asia/Tokyo"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
