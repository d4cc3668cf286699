using ClaimsOffice.Database.Staff;
using ClaimsOffice.Portal.Features.Staff.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ClaimsOffice.Portal.Features.Staff.Admin;

/// <summary>The staff list and the admin actions on it; each action goes through <see cref="StaffAdminService"/> and reloads the list.</summary>
public sealed partial class StaffAdminPage
{
    private IReadOnlyList<StaffListEntry>? _staff;
    private long _me;
    private string? _link;
    private string? _linkMessage;

    [Inject] private StaffAdminService Admin { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _me = (await AuthenticationState).User.StaffUserId() ?? 0;
        await ReloadAsync();
    }

    private async Task ReloadAsync() => _staff = await Admin.ListAsync(CancellationToken.None);

    private string StatusOf(StaffUser user) =>
        user.DisabledAt is not null ? "Disabled"
        : user.LockoutEnd > Clock.GetUtcNow() ? "Locked"
        : user.PasswordHash is null ? "Invited"
        : "Active";

    private async Task InviteAsync()
    {
        var dialog = await Dialogs.ShowAsync<InviteStaffDialog>("Invite staff", new DialogParameters<InviteStaffDialog>
        {
            { d => d.ActorId, _me },
            { d => d.BaseUrl, Navigation.BaseUri },
        });
        if (await dialog.Result is { Canceled: false, Data: StaffAdminResult result })
        {
            ShowLink(result);
            await ReloadAsync();
        }
    }

    private async Task EditAsync(StaffListEntry entry)
    {
        var dialog = await Dialogs.ShowAsync<EditStaffDialog>($"{entry.User.DisplayName}", new DialogParameters<EditStaffDialog>
        {
            { d => d.ActorId, _me },
            { d => d.Entry, entry },
        });
        if (await dialog.Result is { Canceled: false })
        {
            await ReloadAsync();
        }
    }

    private async Task ConfirmAsync(StaffListEntry entry, string action, string message, Func<long, long, CancellationToken, Task<StaffAdminResult>> run)
    {
        if (await Dialogs.ShowMessageBoxAsync(action, message, yesText: action, cancelText: "Cancel") == true)
        {
            await RunAsync(ct => run(_me, entry.User.Id, ct));
        }
    }

    private async Task ReinviteAsync(StaffListEntry entry)
    {
        var result = await Admin.ReinviteAsync(_me, entry.User.Id, Navigation.BaseUri, CancellationToken.None);
        ShowLink(result);
    }

    private async Task RunAsync(Func<CancellationToken, Task<StaffAdminResult>> action)
    {
        var result = await action(CancellationToken.None);
        Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Error);
        await ReloadAsync();
    }

    private void ShowLink(StaffAdminResult result)
    {
        if (result.Succeeded)
        {
            _link = result.Link;
            _linkMessage = result.Message;
        }
        else
        {
            Snackbar.Add(result.Message, Severity.Error);
        }
    }
}
