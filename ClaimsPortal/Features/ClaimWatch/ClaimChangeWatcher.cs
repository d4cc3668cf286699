using System.Threading.Channels;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Claims;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClaimsOffice.Portal.Features.ClaimWatch;

/// <summary>
/// Tells open claim pages when their claim changed, whichever process changed it. Pages subscribe by claim id
/// with the version they last showed; the watcher reads the watched claims' versions in one query and calls
/// back for each one that differs. On PostgreSQL a trigger (migration 0007) NOTIFYs <c>claim_changed</c> and
/// the watcher reads at once; a slow poll covers notifications lost while its connection was down. On SQLite
/// (embedded: one process, no NOTIFY) it polls quickly, and only while someone watches.
/// </summary>
public sealed partial class ClaimChangeWatcher(
    ClaimRepository claims,
    DatabaseOptions database,
    IOptions<ClaimWatchOptions> options,
    ILogger<ClaimChangeWatcher> logger) : BackgroundService
{
    public const string Channel = "claim_changed";

    private readonly Lock _gate = new();
    private long _checks;
    private readonly Dictionary<long, List<Subscription>> _watched = [];
    // One pending wake-up is enough: a check reads every watched claim.
    private readonly Channel<bool> _wake = System.Threading.Channels.Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private bool Listens => database.Provider == DatabaseProvider.Postgres;

    private TimeSpan Interval => Listens ? options.Value.SafetyPollInterval : options.Value.PollInterval;

    /// <summary>
    /// Calls <paramref name="onChanged"/> whenever the claim's version differs from the last one seen, starting
    /// from <paramref name="shown"/> (what the page rendered), so a change made between loading and subscribing
    /// is not missed. Dispose the result to stop.
    /// </summary>
    public IDisposable Watch(ClaimVersion shown, Func<Task> onChanged)
    {
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentNullException.ThrowIfNull(onChanged);
        var subscription = new Subscription(this, shown, onChanged);
        lock (_gate)
        {
            if (!_watched.TryGetValue(shown.Id, out var list))
            {
                _watched[shown.Id] = list = [];
            }
            list.Add(subscription);
        }
        Wake();
        return subscription;
    }

    /// <summary>How many claims are watched now (for tests and diagnostics).</summary>
    public int WatchedClaims
    {
        get
        {
            lock (_gate)
            {
                return _watched.Count;
            }
        }
    }

    /// <summary>Checks that read the database so far (tests use it to know the watcher has caught up).</summary>
    internal long CompletedChecks => Interlocked.Read(ref _checks);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = Listens ? ListenAsync(stoppingToken) : Task.CompletedTask;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WaitForNextCheckAsync(stoppingToken);
                await CheckAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Pages keep what they show and catch up at the next successful check; a reload always shows the truth.
                LogCheckFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        await listener.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WaitForNextCheckAsync(CancellationToken ct)
    {
        if (WatchedClaims == 0)
        {
            // Nobody watches: no queries at all until someone subscribes.
            await _wake.Reader.ReadAsync(ct);
            return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Interval);
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The interval passed without a wake-up: poll.
        }
    }

    private async Task CheckAsync(CancellationToken ct)
    {
        long[] ids;
        lock (_gate)
        {
            ids = [.. _watched.Keys];
        }
        if (ids.Length == 0)
        {
            return;
        }
        var changed = new List<Subscription>();
        foreach (var version in await claims.ListVersionsAsync(ids, ct))
        {
            lock (_gate)
            {
                if (!_watched.TryGetValue(version.Id, out var list))
                {
                    continue;
                }
                foreach (var subscription in list.Where(s => s.Seen != version))
                {
                    subscription.Seen = version;
                    changed.Add(subscription);
                }
            }
        }
        Interlocked.Increment(ref _checks);
        foreach (var subscription in changed)
        {
            _ = NotifyAsync(subscription);
        }
    }

    private async Task NotifyAsync(Subscription subscription)
    {
        try
        {
            await subscription.OnChanged();
        }
        catch (Exception ex)
        {
            LogCallbackFailed(ex, subscription.Seen.Id);
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // A connection of its own, never pooled: pooled connections are not reset (No Reset On Close),
                // and one handed back to the pool would still be listening.
                var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, KeepAlive = 30 }.ToString();
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await connection.ExecuteAsync(new CommandDefinition($"LISTEN {Channel}", cancellationToken: ct));
                LogListening(Channel);
                // Changes made while not listening: look once now.
                Wake();
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The safety poll keeps pages current meanwhile, only slower.
                LogListenFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void OnNotification(string payload)
    {
        if (long.TryParse(payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            bool watched;
            lock (_gate)
            {
                watched = _watched.ContainsKey(id);
            }
            if (watched)
            {
                Wake();
            }
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            var id = subscription.Seen.Id;
            if (_watched.TryGetValue(id, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                _watched.Remove(id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading watched claims failed; retrying")]
    private partial void LogCheckFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A page's update for claim {ClaimId} failed")]
    private partial void LogCallbackFailed(Exception ex, long claimId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening on {Channel} for claim changes")]
    private partial void LogListening(string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claim change listener failed; pages fall back to the safety poll until it reconnects")]
    private partial void LogListenFailed(Exception ex);

    private sealed class Subscription(ClaimChangeWatcher watcher, ClaimVersion shown, Func<Task> onChanged) : IDisposable
    {
        private int _disposed;

        /// <summary>Last version reported to (or shown by) the page; written under the watcher's lock.</summary>
        public ClaimVersion Seen { get; set; } = shown;

        public Func<Task> OnChanged { get; } = onChanged;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                watcher.Remove(this);
            }
        }
    }
}
