using ClaimsOffice.Database.Review;
using ClaimsOffice.Portal.Features.Staff.Identity;
using ClaimsOffice.Worker.Review;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ClaimsOffice.Portal.Features.Staff.Queue;

/// <summary>
/// The agents' queue. Pages are keyset pages (a cursor per page visited, never an OFFSET); filters live in the
/// query string so a filtered queue can be linked. A claim taken in this process refreshes every open queue at
/// once; changes from other processes arrive with the periodic refresh.
/// </summary>
public sealed partial class QueuePage
{
    public const int PageSize = 25;
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(10);

    private readonly List<QueueCursor?> _cursors = [null];
    private MudDataGrid<QueueRow>? _grid;
    private int _page;
    private bool _hasNext;
    private long? _me;
    private Timer? _timer;

    [Inject] private ReviewQueueRepository Queue { get; set; } = default!;
    [Inject] private ReviewService Review { get; set; } = default!;
    [Inject] private IReviewChangeNotifier Changes { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Auth { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "state")] public string? State { get; set; }
    [SupplyParameterFromQuery(Name = "min")] public long? Min { get; set; }
    [SupplyParameterFromQuery(Name = "max")] public long? Max { get; set; }
    [SupplyParameterFromQuery(Name = "older")] public int? OlderThanDays { get; set; }
    [SupplyParameterFromQuery(Name = "campaign")] public long? Campaign { get; set; }
    [SupplyParameterFromQuery(Name = "mine")] public bool Mine { get; set; }

    private QueueFilters.Values Filter => new(State, Min, Max, OlderThanDays, Campaign, Mine);

    private QueueCounts? Counts { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _me = (await Auth.GetAuthenticationStateAsync()).User.StaffUserId();
        Changes.Changed += OnClaimChanged;
        _timer = new Timer(_ => OnClaimChanged(0), null, RefreshEvery, RefreshEvery);
    }

    protected override async Task OnParametersSetAsync()
    {
        // New filters start again from the first page.
        _cursors.Clear();
        _cursors.Add(null);
        _page = 0;
        Counts = await Queue.CountAsync(Clock.GetUtcNow(), TimeSpan.FromHours(4), CancellationToken.None);
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private QueueFilter ToQuery() => new()
    {
        Status = ReviewStatus.Open.Contains(State ?? "") ? State : null,
        MinAmount = Min,
        MaxAmount = Max,
        SubmittedBefore = OlderThanDays is { } days ? Clock.GetUtcNow().AddDays(-days) : null,
        CampaignId = Campaign,
        AssignedTo = Mine ? _me ?? -1 : null,
    };

    private async Task<GridData<QueueRow>> LoadAsync(GridState<QueueRow> state, CancellationToken ct)
    {
        var page = await Queue.PageAsync(ToQuery(), _cursors[_page], PageSize, ct);
        _hasNext = page.Next is not null;
        if (_hasNext && _cursors.Count == _page + 1)
        {
            _cursors.Add(page.Next);
        }
        return new GridData<QueueRow> { Items = page.Rows, TotalItems = page.Rows.Count };
    }

    private async Task NextAsync()
    {
        _page++;
        await _grid!.ReloadServerData();
    }

    private async Task FirstAsync()
    {
        _page = 0;
        await _grid!.ReloadServerData();
    }

    private Task ApplyAsync(QueueFilters.Values values)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters("/staff/queue", values.ToQuery()));
        return Task.CompletedTask;
    }

    private async Task TakeAsync(QueueRow row)
    {
        if (_me is not { } me)
        {
            Snackbar.Add("Your staff session has no user id: sign in again.", Severity.Error);
            return;
        }
        var outcome = await Review.TakeAsync(row.Id, row.Version, me, CancellationToken.None);
        Snackbar.Add(outcome.Message, outcome.Succeeded ? Severity.Success : Severity.Warning);
        await _grid!.ReloadServerData();
    }

    private string DueClass(QueueRow row)
    {
        var now = Clock.GetUtcNow();
        return row.NextDueAt < now ? "due-overdue" : row.NextDueAt < now.AddHours(4) ? "due-soon" : "";
    }

    private void OnClaimChanged(long claimId) => _ = InvokeAsync(async () =>
    {
        Counts = await Queue.CountAsync(Clock.GetUtcNow(), TimeSpan.FromHours(4), CancellationToken.None);
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
        StateHasChanged();
    });

    public void Dispose()
    {
        Changes.Changed -= OnClaimChanged;
        _timer?.Dispose();
    }
}
