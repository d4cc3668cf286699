using ClaimsOffice.Database.Review;
using ClaimsOffice.Portal.Features.Staff.Identity;
using ClaimsOffice.Worker.Review;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ClaimsOffice.Portal.Features.Staff.Claims;

public enum TextAction
{
    Reject,
    Ask,
    Escalate,
    Note,
}

/// <summary>
/// A claim as an agent investigates it, with the decisions. Every action names the version the agent is looking
/// at; when the claim changed meanwhile the service refuses and the page reloads with the message.
/// </summary>
public sealed partial class StaffClaimPage
{
    [Parameter] public string Reference { get; set; } = "";

    [Inject] private ClaimFileQuery Files { get; set; } = default!;
    [Inject] private ReviewService Review { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Auth { get; set; } = default!;

    private ClaimFile? File { get; set; }

    // The interactive render starts before the file is read: until then the page is loading, not "not found".
    private bool Loaded { get; set; }

    private long? Me { get; set; }

    /// <summary>
    /// The evidence JSON cut after each comma, each piece followed by a line-break opportunity: a long line breaks between
    /// fields where it can (the stylesheet still breaks a single field longer than the card anywhere).
    /// </summary>
    private static IEnumerable<string> EvidenceFields(string evidence)
    {
        var start = 0;
        for (var comma = evidence.IndexOf(',', start); comma >= 0; comma = evidence.IndexOf(',', start))
        {
            yield return evidence[start..(comma + 1)];
            start = comma + 1;
        }
        yield return evidence[start..];
    }

    protected override async Task OnParametersSetAsync()
    {
        Me = (await Auth.GetAuthenticationStateAsync()).User.StaffUserId();
        File = await Files.LoadAsync(Reference, CancellationToken.None);
        Loaded = true;
    }

    private Task TakeAsync() => ActAsync(me => Review.TakeAsync(File!.Claim.Id, File.Claim.Version, me, CancellationToken.None));

    private Task ReleaseAsync() => ActAsync(me => Review.ReleaseAsync(File!.Claim.Id, File.Claim.Version, me, CancellationToken.None));

    private async Task ApproveAsync()
    {
        var parameters = new DialogParameters<ApproveDialog> { { d => d.Lines, File!.Disputed } };
        var dialog = await Dialogs.ShowAsync<ApproveDialog>($"Approve {File.Claim.ClaimNumber}", parameters);
        if (await dialog.Result is { Canceled: false, Data: IReadOnlyList<ApprovalInput> lines })
        {
            await ActAsync(me => Review.ApproveAsync(File.Claim.Id, File.Claim.Version, me, lines, CancellationToken.None));
        }
    }

    private async Task TextActionAsync(TextAction action)
    {
        var parameters = new DialogParameters<TextDecisionDialog> { { d => d.Action, action } };
        var dialog = await Dialogs.ShowAsync<TextDecisionDialog>(TextDecisionDialog.TitleFor(action), parameters);
        if (await dialog.Result is not { Canceled: false, Data: TextDecisionDialog.Answer answer })
        {
            return;
        }
        var c = File!.Claim;
        await ActAsync(me => action switch
        {
            TextAction.Reject => Review.RejectAsync(c.Id, c.Version, me, answer.ReasonCode, answer.Text, CancellationToken.None),
            TextAction.Ask => Review.AskInformationAsync(c.Id, c.Version, me, answer.Text, CancellationToken.None),
            TextAction.Escalate => Review.EscalateAsync(c.Id, c.Version, me, answer.Text, CancellationToken.None),
            _ => Review.AddNoteAsync(c.Id, me, answer.Text, CancellationToken.None),
        });
    }

    private async Task ActAsync(Func<long, Task<ReviewOutcome>> action)
    {
        if (Me is not { } me)
        {
            Snackbar.Add("Your staff session has no user id: sign in again.", Severity.Error);
            return;
        }
        var outcome = await action(me);
        Snackbar.Add(outcome.Message, outcome.Succeeded ? Severity.Success : Severity.Warning);
        File = await Files.LoadAsync(Reference, CancellationToken.None);
    }
}
