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
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var engine = EngineHost.Create(db, TimeProvider.System);
        var (_, claim) = await FiledClaim.CreateAsync(db, engine);
        using var watcher = Watcher(db);
        await watcher.StartAsync(CancellationToken.None);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;

        using (watcher.Watch(Version(claim), () =>
        {
            Interlocked.Increment(ref calls);
            changed.TrySetResult();
            return Task.CompletedTask;
        }))
        {
            // Subscribing triggers one check, which finds nothing new. After it, with the safety poll an hour away,
            // only a wake-up (PostgreSQL's NOTIFY) or the quick poll (SQLite) can bring the change.
            await WaitFor.UntilAsync(() => Task.FromResult(watcher.CompletedChecks >= 1), Patience, "the first check");
            Assert.Equal(0, Volatile.Read(ref calls));
            Assert.Equal(AssessmentResult.Paid, await engine.GetRequiredService<AssessmentService>().AssessAsync(claim.Id, CancellationToken.None));

            await changed.Task.WaitAsync(Patience);
        }

        Assert.Equal(0, watcher.WatchedClaims);
        Assert.True(Volatile.Read(ref calls) >= 1);
        await watcher.StopAsync(CancellationToken.None);
    }

    [DatabaseTheory]
    public async Task Reports_at_once_a_change_made_between_loading_the_page_and_subscribing(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var engine = EngineHost.Create(db, TimeProvider.System);
        var (_, claim) = await FiledClaim.CreateAsync(db, engine);
        using var watcher = Watcher(db);
        await watcher.StartAsync(CancellationToken.None);
        await engine.GetRequiredService<AssessmentService>().AssessAsync(claim.Id, CancellationToken.None);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The page still shows the Submitted version it loaded before the assessment.
        using var subscription = watcher.Watch(Version(claim), () =>
        {
            changed.TrySetResult();
            return Task.CompletedTask;
        });

        await changed.Task.WaitAsync(Patience);
        await watcher.StopAsync(CancellationToken.None);
    }

    [DatabaseTheory]
    public async Task Each_page_watching_the_same_claim_is_told_and_a_closed_page_is_forgotten(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var engine = EngineHost.Create(db, TimeProvider.System);
        var (_, claim) = await FiledClaim.CreateAsync(db, engine);
        using var watcher = Watcher(db);
        await watcher.StartAsync(CancellationToken.None);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closedCalls = 0;

        using var a = watcher.Watch(Version(claim), () => { first.TrySetResult(); return Task.CompletedTask; });
        using var b = watcher.Watch(Version(claim), () => { second.TrySetResult(); return Task.CompletedTask; });
        var closed = watcher.Watch(Version(claim), () => { Interlocked.Increment(ref closedCalls); return Task.CompletedTask; });
        closed.Dispose();
        Assert.Equal(1, watcher.WatchedClaims);

        await engine.GetRequiredService<AssessmentService>().AssessAsync(claim.Id, CancellationToken.None);

        await Task.WhenAll(first.Task, second.Task).WaitAsync(Patience);
        Assert.Equal(0, Volatile.Read(ref closedCalls));
        await watcher.StopAsync(CancellationToken.None);
    }

    private static ClaimChangeWatcher Watcher(TestDatabase db) => new(
        new ClaimRepository(db.Connections),
        db.Options,
        Options.Create(new ClaimWatchOptions { PollInterval = TimeSpan.FromMilliseconds(100), SafetyPollInterval = TimeSpan.FromHours(1) }),
        NullLogger<ClaimChangeWatcher>.Instance);

    private static ClaimVersion Version(Claim claim) => new() { Id = claim.Id, Status = claim.Status, UpdatedAt = claim.UpdatedAt };
}
