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
        public const string StorageDown = "the job storage is down";

        public SemaphoreSlim Proceed { get; } = new(0);
        public bool FailNext { get; set; }
        public ConcurrentQueue<long> Enqueued { get; } = new();
        public ConcurrentBag<bool> OnThreadPool { get; } = [];
        public int Running;

        public string Create(Job job, IState state)
        {
            OnThreadPool.Add(Thread.CurrentThread.IsThreadPoolThread);
            Interlocked.Increment(ref Running);
            try
            {
                Proceed.Wait(TimeSpan.FromSeconds(30));
                if (FailNext)
                {
                    FailNext = false;
                    throw new InvalidOperationException(StorageDown);
                }
                Enqueued.Enqueue((long)job.Args[0]!);
                return "1";
            }
            finally
            {
                Interlocked.Decrement(ref Running);
            }
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Enqueues_run_off_the_thread_pool_as_many_at_once_as_the_pool_has_connections_and_all_get_through()
    {
        var client = new BlockingClient();
        using var queue = new HangfireAssessmentQueue(client, enqueueThreads: 2);

        var callers = Enumerable.Range(1, 3).Select(id => queue.EnqueueAsync(id, CancellationToken.None)).ToList();
        await WaitFor.UntilAsync(() => Task.FromResult(Volatile.Read(ref client.Running) == 2), TimeSpan.FromSeconds(10), "two enqueues to start");
        // The third waits for a free enqueue thread; its caller was handed a task at once and blocks nothing.
        Assert.All(callers, c => Assert.False(c.IsCompleted));
        Assert.Equal(2, Volatile.Read(ref client.Running));

        client.Proceed.Release(3);
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1L, 2L, 3L], client.Enqueued.Order());
        // Hangfire's blocking calls never took a thread the filings' async database calls need.
        Assert.Equal([false, false, false], client.OnThreadPool);
    }

    [Fact]
    public async Task An_enqueue_that_throws_fails_its_callers_task_and_the_next_enqueue_still_runs()
    {
        var client = new BlockingClient { FailNext = true };
        using var queue = new HangfireAssessmentQueue(client, enqueueThreads: 1);
        client.Proceed.Release(2);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => queue.EnqueueAsync(1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(BlockingClient.StorageDown, failure.Message);
        await queue.EnqueueAsync(2, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([2L], client.Enqueued);
    }

    [Fact]
    public async Task Disposing_the_queue_lets_the_enqueues_already_asked_for_finish()
    {
        var client = new BlockingClient();
        var queue = new HangfireAssessmentQueue(client, enqueueThreads: 1);
        var callers = Enumerable.Range(1, 3).Select(id => queue.EnqueueAsync(id, CancellationToken.None)).ToList();
        await WaitFor.UntilAsync(() => Task.FromResult(Volatile.Read(ref client.Running) == 1), TimeSpan.FromSeconds(10), "the first enqueue to start");

        client.Proceed.Release(3);
        queue.Dispose();

        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1L, 2L, 3L], client.Enqueued.Order());
        await Assert.ThrowsAsync<InvalidOperationException>(() => queue.EnqueueAsync(4, CancellationToken.None));
    }

    [Fact]
    public async Task An_enqueue_cancelled_while_waiting_for_its_turn_enqueues_nothing()
    {
        var client = new BlockingClient();
        using var queue = new HangfireAssessmentQueue(client, enqueueThreads: 1);
        var first = queue.EnqueueAsync(1, CancellationToken.None);
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
