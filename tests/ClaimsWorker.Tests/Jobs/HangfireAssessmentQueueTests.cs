using System.Collections.Concurrent;
using ClaimsOffice.TestKit;
using ClaimsOffice.Worker.Jobs;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Xunit;

namespace ClaimsOffice.Worker.Tests.Jobs;

public sealed class HangfireAssessmentQueueTests
{
    /// <summary>Hangfire's client as the job storage makes it: synchronous, each call holding its thread until it is let go.</summary>
    private sealed class BlockingClient : IBackgroundJobClient
    {
        public SemaphoreSlim Proceed { get; } = new(0);
        public ConcurrentQueue<long> Enqueued { get; } = new();
        public int Running;

        public string Create(Job job, IState state)
        {
            Interlocked.Increment(ref Running);
            Proceed.Wait(TimeSpan.FromSeconds(30));
            Enqueued.Enqueue((long)job.Args[0]!);
            Interlocked.Decrement(ref Running);
            return "1";
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Enqueues_beyond_the_job_storages_pool_wait_without_holding_a_thread_and_all_get_through()
    {
        var client = new BlockingClient();
        using var queue = new HangfireAssessmentQueue(client, concurrentEnqueues: 2);

        // Two run at once, each on its own thread as a portal request's would.
        var running = Enumerable.Range(1, 2).Select(id => Task.Run(() => queue.EnqueueAsync(id, CancellationToken.None))).ToList();
        await WaitFor.UntilAsync(() => Task.FromResult(Volatile.Read(ref client.Running) == 2), TimeSpan.FromSeconds(10), "two enqueues to start");
        // The third, called on this thread, returns at once with a task still waiting: no thread is blocked for it.
        var third = queue.EnqueueAsync(3, CancellationToken.None);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, Volatile.Read(ref client.Running));

        client.Proceed.Release(3);
        await Task.WhenAll([.. running, third]).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1L, 2L, 3L], client.Enqueued.Order());
    }

    [Fact]
    public async Task An_enqueue_cancelled_while_waiting_for_its_turn_enqueues_nothing()
    {
        var client = new BlockingClient();
        using var queue = new HangfireAssessmentQueue(client, concurrentEnqueues: 1);
        var first = Task.Run(() => queue.EnqueueAsync(1, CancellationToken.None));
        await WaitFor.UntilAsync(() => Task.FromResult(Volatile.Read(ref client.Running) == 1), TimeSpan.FromSeconds(10), "the first enqueue to start");
        using var cancel = new CancellationTokenSource();

        var second = queue.EnqueueAsync(2, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);

        client.Proceed.Release(1);
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1L], client.Enqueued);
    }
}
