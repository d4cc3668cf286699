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
    protected MudComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(DisplayTimeZone.FromId("Asia/Tokyo"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
