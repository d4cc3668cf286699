using System.Data;
using System.Globalization;
using Dapper;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Npgsql;

namespace ClaimsOffice.Worker.Jobs.Storage;

/// <summary>
/// Hangfire.PostgreSql's job queue table, fetched with one autocommit <c>UPDATE … RETURNING</c> per attempt where
/// Hangfire.PostgreSql's own queue sends BEGIN with the same UPDATE, then COMMIT: one round trip per attempt instead of
/// two (ADR 0005, amendment "batched state changes").
/// </summary>
/// <remarks>
/// <para>The statement takes the same row Hangfire.PostgreSql's would (not fetched, or fetched longer ago than the
/// invisibility timeout; oldest fetch first, then queue, then job; rows another fetcher has locked are skipped) and
/// marks it fetched. One statement is one implicit transaction: the row it locks is updated and committed together, so
/// two fetchers in two processes never get the same row, exactly as with the explicit transaction.</para>
/// <para>The fetched job is Hangfire.PostgreSql's own <see cref="PostgreSqlFetchedJob"/>: its sliding invisibility
/// heartbeat, <c>RemoveFromQueue</c> and <c>Requeue</c> are unchanged. An empty queue is polled again after
/// <c>QueuePollInterval</c> (<c>Worker:JobPollInterval</c>); a job enqueued in this process does not wake the waiting
/// fetch early (Hangfire.PostgreSql's in-process signal is internal to it), and long polling (LISTEN/NOTIFY) is not
/// used.</para>
/// </remarks>
/// <param name="storage">Hangfire.PostgreSql's storage, which the fetched jobs use for their heartbeat, removal and requeue.</param>
/// <param name="options">The options <paramref name="storage"/> was built with (its poll interval and invisibility timeout).</param>
/// <param name="writes">Its connections and schema.</param>
internal sealed class SingleStatementJobQueue(PostgreSqlStorage storage, PostgreSqlStorageOptions options, BatchedWrites writes) : IPersistentJobQueue
{
    private const string SerializationFailure = "40001";

    private string Table => $"\"{writes.Schema}\".\"jobqueue\"";

    private string FetchSql => $"""
        UPDATE {Table} SET fetchedat = NOW()
        WHERE id = (
            SELECT id FROM {Table}
            WHERE queue = ANY (@queues) AND (fetchedat IS NULL OR fetchedat < NOW() - @timeoutSeconds * INTERVAL '1 second')
            ORDER BY fetchedat NULLS FIRST, queue, jobid
            FOR UPDATE SKIP LOCKED
            LIMIT 1)
        RETURNING id, jobid, queue, fetchedat
        """;

    public IFetchedJob Dequeue(string[] queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        if (queues.Length == 0)
        {
            throw new ArgumentException("Queue array must be non-empty.", nameof(queues));
        }
        var sql = FetchSql;
        var arguments = new { queues, timeoutSeconds = (long)options.InvisibilityTimeout.TotalSeconds };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryFetch(sql, arguments) is { } fetched)
            {
                return new PostgreSqlFetchedJob(storage, fetched.Id, fetched.JobId.ToString(CultureInfo.InvariantCulture), fetched.Queue, fetched.FetchedAt);
            }
            cancellationToken.WaitHandle.WaitOne(options.QueuePollInterval);
        }
    }

    private Fetched? TryFetch(string sql, object arguments)
    {
        try
        {
            // Closed: Dapper opens it, runs the one statement in autocommit, and the pool gets it back on dispose.
            using var connection = writes.Connections.GetOrCreateConnection();
            return connection.QuerySingleOrDefault<Fetched>(sql, arguments);
        }
        catch (PostgresException ex) when (ex.SqlState == SerializationFailure)
        {
            // As Hangfire.PostgreSql: a serialization failure is only a lost race, try again; anything else is thrown.
            return null;
        }
    }

    /// <summary>The fallback path's enqueue (a transaction replayed on Hangfire.PostgreSql's own): the same row its queue writes.</summary>
    public void Enqueue(IDbConnection connection, string queue, string jobId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.Execute($"INSERT INTO {Table} (jobid, queue) VALUES (@jobId, @queue)",
            new { jobId = Convert.ToInt64(jobId, CultureInfo.InvariantCulture), queue });
    }

    private sealed record Fetched(long Id, long JobId, string Queue, DateTime FetchedAt);
}

/// <summary>
/// Serves <see cref="SingleStatementJobQueue"/> for the queues it is registered for; the dashboard's queue counts stay
/// Hangfire.PostgreSql's (same table, same rows).
/// </summary>
internal sealed class SingleStatementJobQueueProvider(SingleStatementJobQueue queue, IPersistentJobQueueProvider monitoring) : IPersistentJobQueueProvider
{
    /// <summary>The queues the worker's Hangfire server listens to (Hangfire's default; no job names another).</summary>
    public static readonly string[] Queues = ["default"];

    public IPersistentJobQueue GetJobQueue() => queue;

    public IPersistentJobQueueMonitoringApi GetJobQueueMonitoringApi() => monitoring.GetJobQueueMonitoringApi();
}
