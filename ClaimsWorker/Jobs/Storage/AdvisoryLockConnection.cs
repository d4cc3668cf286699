using System.Buffers.Binary;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ClaimsOffice.Database;
using Dapper;
using Hangfire.Common;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.Storage;
using Npgsql;

namespace ClaimsOffice.Worker.Jobs.Storage;

/// <summary>
/// A Hangfire storage connection that forwards every member to Hangfire.PostgreSql's connection except
/// <see cref="AcquireDistributedLock"/>, which takes a PostgreSQL session advisory lock instead of writing the
/// <c>lock</c> table (per lock that was BEGIN, INSERT, COMMIT, a cleanup DELETE and a release DELETE; now one
/// <c>pg_try_advisory_lock</c> and one unlock, no table, no WAL).
/// </summary>
/// <remarks>
/// <para>The lock session is one connection from the repositories' pool, held from this connection's first lock until its
/// last is released; locks nested on this connection (the delayed-job scheduler's lock around each job's state lock)
/// share it. Why that pool and not Hangfire's: a lock holder then waits only for Hangfire's pool (the state change's
/// reads and writes), and nothing that holds a Hangfire connection waits for a repository connection, so no holder can
/// wait for a connection only another holder can free. In Hangfire's pool the holders would wait for connections that
/// idle workers hold while they poll (runbook, "Connection budget"). The repositories' pool has room: a Hangfire worker
/// either runs a job (one repository connection at a time) or changes its state (one lock session), never both.</para>
/// <para>A process that dies loses its session and with it its locks, at once; the lock table's rows waited for their
/// timeout. Re-entrant per connection object, as Hangfire.PostgreSql's own lock: the same resource locked again on this
/// connection counts up and is released with its last handle.</para>
/// </remarks>
/// <param name="writes">Where state changes send their writes as one command (<see cref="BatchedWriteTransaction"/>); null
/// for Hangfire.PostgreSql's own transaction.</param>
internal sealed class AdvisoryLockConnection(JobStorageConnection inner, IDbConnectionFactory lockConnections, BatchedWrites? writes = null) : JobStorageConnection
{
    private const string TryLock = "SELECT pg_try_advisory_lock(@key)";
    private const string Unlock = "SELECT pg_advisory_unlock(@key)";
    private const string UnlockAll = "SELECT pg_advisory_unlock_all()";
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
    private DbConnection? _session;
    // A job's row as read right after its state lock was taken, for the state change's GetJobData (see JobStateLocked).
    private (string JobId, JobRow? Row)? _readUnderLock;

    /// <summary>
    /// The advisory lock key of a resource: the first 64 bits of its SHA-256, the same in every process and version.
    /// Two resources with the same key (a chance of about n²/2⁶⁵ among n held at once, or with the engine's own
    /// advisory locks 7240001-7240003) only wait for each other: more exclusion, never less.
    /// </summary>
    public static long KeyOf(string resource) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("hangfire:" + resource)));

    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_gate)
        {
            if (_held.TryGetValue(resource, out var depth))
            {
                // Taken again while held: whatever was read with it may be this connection's past, not the job's present.
                _readUnderLock = null;
                _held[resource] = depth + 1;
                return new Handle(this, resource);
            }
            _session ??= lockConnections.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
            try
            {
                _readUnderLock = LockWithin(_session, resource, timeout);
            }
            catch
            {
                if (_held.Count == 0)
                {
                    ReturnSession();
                }
                throw;
            }
            _held[resource] = 1;
            return new Handle(this, resource);
        }
    }

    /// <summary>
    /// Tries at once, then again after 5, 10, 20 … 100 ms until <paramref name="timeout"/> has passed. A job's state lock
    /// comes with the job's row, read in the same round trip by a second statement (its own snapshot, taken once the first
    /// statement holds the lock): Hangfire's state change reads the job right after taking its lock.
    /// </summary>
    private (string JobId, JobRow? Row)? LockWithin(DbConnection session, string resource, TimeSpan timeout)
    {
        var key = KeyOf(resource);
        var jobId = writes is null ? null : StateLockedJob(resource);
        var started = Stopwatch.GetTimestamp();
        var delay = FirstRetry;
        while (true)
        {
            if (jobId is null)
            {
                if (session.ExecuteScalar<bool>(TryLock, new { key }))
                {
                    return null;
                }
            }
            else
            {
                using var results = session.QueryMultiple($"{TryLock};\n{JobRowSql}", new { key, id = long.Parse(jobId, CultureInfo.InvariantCulture) });
                var locked = results.ReadSingle<bool>();
                var row = results.ReadSingleOrDefault<JobRow>();
                if (locked)
                {
                    return (jobId, row);
                }
            }
            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                // The type Hangfire.PostgreSql throws (its own derives from it): Hangfire's retries treat both alike.
                throw new DistributedLockTimeoutException(resource);
            }
            Thread.Sleep(remaining < delay ? remaining : delay);
            delay = delay * 2 < LongestRetry ? delay * 2 : LongestRetry;
        }
    }

    private string JobRowSql => $"SELECT invocationdata, statename, arguments, createdat FROM \"{writes!.Schema}\".\"job\" WHERE id = @id";

    /// <summary>The job whose state lock this is (Hangfire 1.8's <c>job:{id}:state-lock</c>), else null.</summary>
    private static string? StateLockedJob(string resource) =>
        resource.StartsWith("job:", StringComparison.Ordinal) && resource.EndsWith(":state-lock", StringComparison.Ordinal)
            && long.TryParse(resource.AsSpan(4, resource.Length - 4 - ":state-lock".Length), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? resource[4..^":state-lock".Length]
            : null;

    /// <summary>A job's row as Hangfire.PostgreSql reads it for <see cref="GetJobData"/>.</summary>
    private sealed record JobRow(string InvocationData, string? StateName, string Arguments, DateTime CreatedAt);

    /// <summary>
    /// The job as Hangfire.PostgreSql 1.21.1 makes it from its row (the job, its state name and creation time, or the
    /// load error): read with the job's state lock when this connection holds that lock and has not handed the read out yet
    /// (once only: a second call may follow this connection's own writes), else from Hangfire.PostgreSql.
    /// </summary>
    public override JobData GetJobData(string jobId)
    {
        lock (_gate)
        {
            if (_readUnderLock is { } read && read.JobId == jobId && _held.ContainsKey($"job:{jobId}:state-lock"))
            {
                _readUnderLock = null;
                return read.Row is { } row ? ToJobData(row) : null!;
            }
        }
        return inner.GetJobData(jobId);
    }

    private static JobData ToJobData(JobRow row)
    {
        var invocation = SerializationHelper.Deserialize<InvocationData>(row.InvocationData);
        invocation.Arguments = row.Arguments;
        Job? job = null;
        JobLoadException? loadException = null;
        try
        {
            job = invocation.DeserializeJob();
        }
        catch (JobLoadException ex)
        {
            loadException = ex;
        }
        return new JobData { Job = job, State = row.StateName, CreatedAt = row.CreatedAt, LoadException = loadException };
    }

    private void Release(string resource)
    {
        lock (_gate)
        {
            if (!_held.TryGetValue(resource, out var depth))
            {
                return;
            }
            if (depth > 1)
            {
                _held[resource] = depth - 1;
                return;
            }
            _held.Remove(resource);
            if (_held.Count == 0)
            {
                ReturnSession();
            }
            else if (_session is { } session)
            {
                session.ExecuteScalar<bool>(Unlock, new { key = KeyOf(resource) });
            }
        }
    }

    /// <summary>Unlocks everything the session holds and gives it back to its pool.</summary>
    private void ReturnSession()
    {
        if (_session is not { } session)
        {
            return;
        }
        _session = null;
        _held.Clear();
        _readUnderLock = null;
        try
        {
            session.ExecuteScalar<bool>(UnlockAll);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // Usually the session died (and its locks with it). If it still looks open, a pooled session must never go
            // back holding a lock: the next user would get it re-entrantly, so drop the pool's idle connections instead.
            if (session.State == ConnectionState.Open && session is NpgsqlConnection npgsql)
            {
                NpgsqlConnection.ClearPool(npgsql);
            }
            LogProvider.GetLogger(typeof(AdvisoryLockConnection)).WarnException("Releasing advisory locks failed; the session is dropped.", ex);
        }
        finally
        {
            session.Dispose();
        }
    }

    public override void Dispose()
    {
        lock (_gate)
        {
            ReturnSession();
        }
        inner.Dispose();
        base.Dispose();
    }

    private sealed class Handle(AdvisoryLockConnection owner, string resource) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(resource);
            }
        }
    }

    public override IWriteOnlyTransaction CreateWriteTransaction() =>
        writes is null ? inner.CreateWriteTransaction() : new BatchedWriteTransaction(inner.CreateWriteTransaction, writes);

    // Everything else is Hangfire.PostgreSql's, unchanged: every abstract and virtual member of JobStorageConnection
    // (Hangfire.Core 1.8.25), so the dashboard's and the servers' extended calls reach it rather than the base class's
    // "not supported" defaults.

    // Not forwarded when writes are batched: the job and its parameters in one command (SingleStatementJobCreation).
    public override string CreateExpiredJob(Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn) =>
        writes is null
            ? inner.CreateExpiredJob(job, parameters, createdAt, expireIn)
            : SingleStatementJobCreation.Create(writes, job, parameters, createdAt, expireIn);

    public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken) => inner.FetchNextJob(queues, cancellationToken);

    public override void SetJobParameter(string id, string name, string value) => inner.SetJobParameter(id, name, value);

    public override string GetJobParameter(string id, string name) => inner.GetJobParameter(id, name);


    public override StateData GetStateData(string jobId) => inner.GetStateData(jobId);

    public override void AnnounceServer(string serverId, ServerContext context) => inner.AnnounceServer(serverId, context);

    public override void RemoveServer(string serverId) => inner.RemoveServer(serverId);

    public override void Heartbeat(string serverId) => inner.Heartbeat(serverId);

    public override int RemoveTimedOutServers(TimeSpan timeOut) => inner.RemoveTimedOutServers(timeOut);

    public override HashSet<string> GetAllItemsFromSet(string key) => inner.GetAllItemsFromSet(key);

    public override string GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore) =>
        inner.GetFirstByLowestScoreFromSet(key, fromScore, toScore);

    public override List<string> GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore, int count) =>
        inner.GetFirstByLowestScoreFromSet(key, fromScore, toScore, count);

    public override long GetSetCount(string key) => inner.GetSetCount(key);

    public override long GetSetCount(IEnumerable<string> keys, int limit) => inner.GetSetCount(keys, limit);

    public override bool GetSetContains(string key, string value) => inner.GetSetContains(key, value);

    public override List<string> GetRangeFromSet(string key, int startingFrom, int endingAt) => inner.GetRangeFromSet(key, startingFrom, endingAt);

    public override TimeSpan GetSetTtl(string key) => inner.GetSetTtl(key);

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs) => inner.SetRangeInHash(key, keyValuePairs);

    public override Dictionary<string, string> GetAllEntriesFromHash(string key) => inner.GetAllEntriesFromHash(key);

    public override string GetValueFromHash(string key, string name) => inner.GetValueFromHash(key, name);

    public override long GetHashCount(string key) => inner.GetHashCount(key);

    public override TimeSpan GetHashTtl(string key) => inner.GetHashTtl(key);

    public override long GetListCount(string key) => inner.GetListCount(key);

    public override List<string> GetAllItemsFromList(string key) => inner.GetAllItemsFromList(key);

    public override List<string> GetRangeFromList(string key, int startingFrom, int endingAt) => inner.GetRangeFromList(key, startingFrom, endingAt);

    public override TimeSpan GetListTtl(string key) => inner.GetListTtl(key);

    public override long GetCounter(string key) => inner.GetCounter(key);

    public override DateTime GetUtcDateTime() => inner.GetUtcDateTime();
}
