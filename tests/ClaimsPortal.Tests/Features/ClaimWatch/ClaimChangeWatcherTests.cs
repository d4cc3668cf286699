using ClaimsOffice.Database.Claims;
using ClaimsOffice.Portal.Features.ClaimWatch;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Assessment;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Portal.Tests.Features.ClaimWatch;

/// <summary>
/// The watcher over a real database, with the claim changed by a separate engine (its own services and
/// connections, as another worker process would be).
/// </summary>
public sealed class ClaimChangeWatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>
    /// On PostgreSQL the safety poll is set to an hour, so only the NOTIFY from migration 0007's trigger can
    /// deliver the change in time; on SQLite the quick poll does.
    /// </summary>
    [DatabaseTheory]
    public async Task Reports_a_change_made_by_another_engine(DatabaseKind kind)
    {
        await using var setup = await Setup.StartAsync(kind);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;

        using (setup.Watcher.Watch(setup.ShownVersion, () =>
        {
            Interlocked.Increment(ref calls);
            changed.TrySetResult();
            return Task.CompletedTask;
        }))
        {
            // Subscribing triggers one check, which finds nothing new. After it, with the safety poll an hour away,
            // only a wake-up (PostgreSQL's NOTIFY) or the quick poll (SQLite) can bring the change.
            await WaitFor.UntilAsync(() => Task.FromResult(setup.Watcher.CompletedChecks >= 1), Patience, "the first check");
            Assert.Equal(0, Volatile.Read(ref calls));
            Assert.Equal(AssessmentResult.Paid, await setup.AssessAsync());

            await changed.Task.WaitAsync(Patience);
        }

        Assert.Equal(0, setup.Watcher.WatchedClaims);
        Assert.True(Volatile.Read(ref calls) >= 1);
    }

    [DatabaseTheory]
    public async Task Reports_at_once_a_change_made_between_loading_the_page_and_subscribing(DatabaseKind kind)
    {
        await using var setup = await Setup.StartAsync(kind);
        await setup.AssessAsync();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The page still shows the Submitted version it loaded before the assessment.
        using var subscription = setup.Watcher.Watch(setup.ShownVersion, () =>
        {
            changed.TrySetResult();
            return Task.CompletedTask;
        });

        await changed.Task.WaitAsync(Patience);
    }

    [DatabaseTheory]
    public async Task Each_page_watching_the_same_claim_is_told_and_a_closed_page_is_forgotten(DatabaseKind kind)
    {
        await using var setup = await Setup.StartAsync(kind);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closedCalls = 0;

        using var a = setup.Watcher.Watch(setup.ShownVersion, () => { first.TrySetResult(); return Task.CompletedTask; });
        using var b = setup.Watcher.Watch(setup.ShownVersion, () => { second.TrySetResult(); return Task.CompletedTask; });
        var closed = setup.Watcher.Watch(setup.ShownVersion, () => { Interlocked.Increment(ref closedCalls); return Task.CompletedTask; });
        closed.Dispose();
        Assert.Equal(1, setup.Watcher.WatchedClaims);

        await setup.AssessAsync();

        await Task.WhenAll(first.Task, second.Task).WaitAsync(Patience);
        Assert.Equal(0, Volatile.Read(ref closedCalls));
    }

    /// <summary>A database with one filed, unassessed claim, a separate engine to decide it, and a running watcher.</summary>
    private sealed class Setup(TestDatabase db, EngineHost engine, Claim claim, ClaimChangeWatcher watcher) : IAsyncDisposable
    {
        public ClaimChangeWatcher Watcher => watcher;

        /// <summary>The version a page that loaded the claim before any decision would show.</summary>
        public ClaimVersion ShownVersion => new() { Id = claim.Id, Status = claim.Status, UpdatedAt = claim.UpdatedAt };

        public static async Task<Setup> StartAsync(DatabaseKind kind)
        {
            var db = await TestDatabase.CreateAsync(kind);
            var engine = EngineHost.Create(db, TimeProvider.System);
            var (_, claim) = await FiledClaim.CreateAsync(db, engine);
            var watcher = new ClaimChangeWatcher(
                new ClaimRepository(db.Connections),
                db.Options,
                Options.Create(new ClaimWatchOptions { PollInterval = TimeSpan.FromMilliseconds(100), SafetyPollInterval = TimeSpan.FromHours(1) }),
                NullLogger<ClaimChangeWatcher>.Instance);
            await watcher.StartAsync(CancellationToken.None);
            return new Setup(db, engine, claim, watcher);
        }

        public Task<AssessmentResult> AssessAsync() =>
            engine.GetRequiredService<AssessmentService>().AssessAsync(claim.Id, CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            await watcher.StopAsync(CancellationToken.None);
            watcher.Dispose();
            await engine.DisposeAsync();
            await db.DisposeAsync();
        }
    }
}
