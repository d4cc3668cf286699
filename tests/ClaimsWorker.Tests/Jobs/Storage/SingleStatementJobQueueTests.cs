using System.Collections.Concurrent;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Hosting;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Xunit;

namespace ClaimsOffice.Worker.Tests.Jobs.Storage;

/// <summary>
/// Hangfire's queue fetched with one autocommit statement: the same jobs, in the same order, each to one worker only.
/// Two storages on one database stand for two worker processes.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class SingleStatementJobQueueTests
{
    private static readonly string[] Default = ["default"];

    public static void Work(int n) => GC.KeepAlive(n);

    private static JobStorage Storage(TestDatabase db, TimeSpan? invisibilityTimeout = null) =>
        JobsServiceCollectionExtensions.CreateStorage(db.Options,
            new WorkerOptions
            {
                JobPollInterval = TimeSpan.FromMilliseconds(50),
                JobInvisibilityTimeout = invisibilityTimeout ?? TimeSpan.FromMinutes(5),
            },
            db.Connections);

    private static string Enqueue(JobStorage storage, int n)
    {
        using var connection = storage.GetConnection();
        var id = connection.CreateExpiredJob(Job.FromExpression(() => Work(n)), new Dictionary<string, string>(), DateTime.UtcNow, TimeSpan.FromHours(1));
        using var transaction = connection.CreateWriteTransaction();
        transaction.AddToQueue("default", id);
        transaction.Commit();
        return id;
    }

    private static IFetchedJob Fetch(JobStorage storage, TimeSpan within)
    {
        using var connection = storage.GetConnection();
        using var cancel = new CancellationTokenSource(within);
        return connection.FetchNextJob(Default, cancel.Token);
    }

    private static Task<long> QueueRowsAsync(TestDatabase db, string jobId) =>
        db.CountAsync("hangfire.jobqueue", "jobid = @id", new { id = long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture) });

    [PostgresFact]
    public async Task Jobs_are_fetched_in_order_and_an_empty_queue_waits_until_cancelled()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var storage = Storage(db);
        var first = Enqueue(storage, 1);
        var second = Enqueue(storage, 2);
        var monitoring = storage.GetMonitoringApi();
        Assert.Equal(2, monitoring.EnqueuedCount("default"));

        using var a = Fetch(storage, TimeSpan.FromSeconds(10));
        Assert.Equal(first, a.JobId);
        // The dashboard's counts are still Hangfire.PostgreSql's, on the same rows.
        Assert.Equal(1, monitoring.EnqueuedCount("default"));
        Assert.Equal(1, monitoring.FetchedCount("default"));
        using var b = Fetch(storage, TimeSpan.FromSeconds(10));
        Assert.Equal(second, b.JobId);

        Assert.ThrowsAny<OperationCanceledException>(() => Fetch(storage, TimeSpan.FromMilliseconds(300)));
        using (var connection = storage.GetConnection())
        {
            Assert.ThrowsAny<OperationCanceledException>(() => connection.FetchNextJob(Default, new CancellationToken(canceled: true)));
        }
        a.RemoveFromQueue();
        b.RemoveFromQueue();
    }

    [PostgresFact]
    public async Task A_fetched_job_is_invisible_to_other_fetches_until_its_invisibility_timeout()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var invisibility = TimeSpan.FromSeconds(2);
        var mine = Storage(db, invisibility);
        var other = Storage(db, invisibility);
        var id = Enqueue(mine, 1);

        // No server runs here, so nothing extends the fetch's lease (its sliding heartbeat is a server process):
        // it lapses as if its worker had died.
        using var fetched = Fetch(mine, TimeSpan.FromSeconds(10));
        Assert.Equal(id, fetched.JobId);
        Assert.ThrowsAny<OperationCanceledException>(() => Fetch(other, TimeSpan.FromMilliseconds(500)));

        using var again = Fetch(other, TimeSpan.FromSeconds(30));
        Assert.Equal(id, again.JobId);
        again.RemoveFromQueue();
        Assert.Equal(0, await QueueRowsAsync(db, id));
    }

    [PostgresFact]
    public async Task Removing_deletes_the_queue_entry_and_requeueing_makes_it_fetchable_again()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var storage = Storage(db);
        var removed = Enqueue(storage, 1);
        var requeued = Enqueue(storage, 2);

        using (var fetched = Fetch(storage, TimeSpan.FromSeconds(10)))
        {
            Assert.Equal(removed, fetched.JobId);
            fetched.RemoveFromQueue();
        }
        Assert.Equal(0, await QueueRowsAsync(db, removed));

        using (var fetched = Fetch(storage, TimeSpan.FromSeconds(10)))
        {
            Assert.Equal(requeued, fetched.JobId);
            Assert.ThrowsAny<OperationCanceledException>(() => Fetch(storage, TimeSpan.FromMilliseconds(300)));
            fetched.Requeue();
        }
        Assert.Equal(1, await QueueRowsAsync(db, requeued));
        using var refetched = Fetch(storage, TimeSpan.FromSeconds(10));
        Assert.Equal(requeued, refetched.JobId);
        refetched.RemoveFromQueue();
    }

    [PostgresFact]
    public async Task Concurrent_fetchers_in_several_processes_get_each_job_exactly_once()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var storages = Enumerable.Range(0, 4).Select(_ => Storage(db)).ToArray();
        var enqueued = Enumerable.Range(0, 200).Select(n => Enqueue(storages[n % storages.Length], n)).ToHashSet();

        var fetchedBy = new ConcurrentBag<(int Fetcher, string JobId)>();
        // Own threads that start together: the thread pool of a two-core machine would start them one after another.
        using var start = new Barrier(storages.Length);
        var fetchers = storages.Select((storage, fetcher) => Task.Factory.StartNew(() =>
        {
            using var connection = storage.GetConnection();
            start.SignalAndWait();
            while (true)
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                IFetchedJob job;
                try
                {
                    job = connection.FetchNextJob(Default, cancel.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                using (job)
                {
                    fetchedBy.Add((fetcher, job.JobId));
                    job.RemoveFromQueue();
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await Task.WhenAll(fetchers).WaitAsync(TimeSpan.FromMinutes(2));

        var jobIds = fetchedBy.Select(f => f.JobId).ToList();
        Assert.Equal(200, jobIds.Count);
        Assert.Equal(enqueued, jobIds.ToHashSet());
        Assert.True(fetchedBy.Select(f => f.Fetcher).Distinct().Count() > 1, "the fetchers ran side by side");
        Assert.Equal(0, await db.CountAsync("hangfire.jobqueue"));
    }
}
