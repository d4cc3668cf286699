using ClaimsOffice.Database.Review;
using ClaimsOffice.Portal.Features.Staff.Identity;
using ClaimsOffice.Worker.Review;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ClaimsOffice.Portal.Features.Staff.Campaigns;

/// <summary>
/// One campaign: its claims, the signals they share, and the bulk approval. The dialog previews what the action
/// would do; the service then decides each claim on its own (guarded, audited) and this page shows the outcome of each.
/// </summary>
public sealed partial class CampaignPage
{
    [Parameter] public long Id { get; set; }

    [Inject] private CampaignService Service { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Auth { get; set; } = default!;

    private CampaignFile? File { get; set; }

    private BulkResult? _result;
    private bool _busy;

    protected override async Task OnParametersSetAsync() => File = await Service.LoadAsync(Id, CancellationToken.None);

    private async Task BulkApproveAsync()
    {
        if ((await Auth.GetAuthenticationStateAsync()).User.StaffUserId() is not { } me)
        {
            Snackbar.Add("Your staff session has no user id: sign in again.", Severity.Error);
            return;
        }
        var parameters = new DialogParameters<BulkApproveDialog> { { d => d.File, File }, { d => d.AgentId, me } };
        var dialog = await Dialogs.ShowAsync<BulkApproveDialog>($"Approve matching claims of campaign {Id}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: IReadOnlyList<string> rules })
        {
            return;
        }
        _busy = true;
        try
        {
            _result = await Service.ApproveMatchingAsync(Id, me, rules, CancellationToken.None);
        }
        finally
        {
            _busy = false;
        }
        Snackbar.Add(Summary(_result) + SkippedReasons(_result), _result.Approved > 0 ? Severity.Success : Severity.Warning);
        File = await Service.LoadAsync(Id, CancellationToken.None);
    }

    internal static string Summary(BulkResult result) =>
        $"Approved and paid {result.Paid}, sent for approval {result.SentForApproval}, skipped {result.Skipped}.";

    /// <summary>The snackbar names the first few reasons; the page lists every skipped claim.</summary>
    private static string SkippedReasons(BulkResult result)
    {
        var reasons = result.SkippedItems.Take(3).Select(i => i.Outcome.Message).ToList();
        return reasons.Count == 0 ? "" : " " + string.Join(" ", reasons) + (result.Skipped > reasons.Count ? $" (and {result.Skipped - reasons.Count} more below)" : "");
    }

    private static string Noun(string kind) => kind switch
    {
        CampaignSignals.Device => "attacker's device",
        CampaignSignals.Ip => "IP address",
        _ => "payee",
    };
}
