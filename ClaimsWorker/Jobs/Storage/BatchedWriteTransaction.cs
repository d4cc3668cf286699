using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.States;
using Hangfire.Storage;

namespace ClaimsOffice.Worker.Jobs.Storage;

/// <summary>Where a <see cref="BatchedWriteTransaction"/> sends its batch: Hangfire.PostgreSql's own pool, and its schema.</summary>
/// <param name="Connections">The connection factory the PostgreSQL storage was built with (its pool, its connection string).</param>
internal sealed record BatchedWrites(IConnectionFactory Connections, string Schema);

/// <summary>
/// A Hangfire write transaction that sends the writes of a job's state changes to PostgreSQL as one command, in one
/// round trip, where Hangfire.PostgreSql sends each write as its own command inside a <c>TransactionScope</c> and then
/// a COMMIT (ADR 0005, amendment "batched state changes").
/// </summary>
/// <remarks>
/// <para>Only the writes a job's state changes make are batched: the state (set or added), the job's expiry, the queue
/// entry and counters, on the tables and columns Hangfire.PostgreSql 1.21.1 keeps. A transaction with any other write (sets,
/// lists, hashes: the schedulers', the recurring jobs') is replayed, whole and in order, on Hangfire.PostgreSql's own
/// transaction, so nothing this class does not know is ever written differently.</para>
/// <para>One command without an explicit transaction: PostgreSQL runs its statements in one implicit transaction, all or
/// nothing, as Hangfire.PostgreSql's transaction does. Unlike it, a job queued here does not wake a waiting worker of this
/// same process at once; that worker finds it at its next poll (<c>Worker:JobPollInterval</c>). Claims are queued by the
/// portals, other processes, which never woke a worker's thread either.</para>
/// </remarks>
internal sealed partial class BatchedWriteTransaction(Func<IWriteOnlyTransaction> createInner, BatchedWrites writes) : JobStorageTransaction
{
    private readonly List<Action<IWriteOnlyTransaction>> _replay = [];
    private readonly List<(string Sql, object?[] Values)> _statements = [];
    // The job whose latest batched state change has not set the job's expiry yet, and where that statement is.
    private readonly Dictionary<long, int> _stateWithoutExpiry = [];
    private bool _onlyBatchable = true;
    private IWriteOnlyTransaction? _inner;

    private string Table(string name) => $"\"{writes.Schema}\".\"{name}\"";

    /// <summary>Adds a statement whose parameters are written <c>@0</c>, <c>@1</c>, …; they are renamed apart from the other statements' when sent.</summary>
    private void Batch(string sql, params object?[] values) => _statements.Add((sql, values));

    [GeneratedRegex(@"@(\d+)")]
    private static partial Regex Placeholder();

    private void Unbatchable(Action<IWriteOnlyTransaction> write)
    {
        _onlyBatchable = false;
        _replay.Add(write);
    }

    private static long JobId(string jobId) => Convert.ToInt64(jobId, CultureInfo.InvariantCulture);

    private static string StateData(IState state) => SerializationHelper.Serialize(state.SerializeData());

    // {0}: where the job's expiry goes when the same transaction persists or expires the job afterwards (Hangfire's state
    // machine always does): one UPDATE, so one new version of the job's row and its four index entries, not two.
    private string SetStateSql => $$"""
        WITH s AS (
            INSERT INTO {{Table("state")}} (jobid, name, reason, createdat, data) VALUES (@0, @1, @2, @3, @4::jsonb) RETURNING id)
        UPDATE {{Table("job")}} j SET stateid = s.id, statename = @1{0} FROM s WHERE j.id = @0
        """;

    public override void SetJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _replay.Add(t => t.SetJobState(jobId, state));
        _stateWithoutExpiry[JobId(jobId)] = _statements.Count;
        Batch(string.Format(CultureInfo.InvariantCulture, SetStateSql, ""), JobId(jobId), state.Name, state.Reason, DateTime.UtcNow, StateData(state));
    }

    public override void AddJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _replay.Add(t => t.AddJobState(jobId, state));
        Batch($"INSERT INTO {Table("state")} (jobid, name, reason, createdat, data) VALUES (@0, @1, @2, @3, @4::jsonb)",
            JobId(jobId), state.Name, state.Reason, DateTime.UtcNow, StateData(state));
    }

    public override void ExpireJob(string jobId, TimeSpan expireIn)
    {
        _replay.Add(t => t.ExpireJob(jobId, expireIn));
        SetExpiry(JobId(jobId), "NOW() + @5 * INTERVAL '1 second'", (long)expireIn.TotalSeconds);
    }

    public override void PersistJob(string jobId)
    {
        _replay.Add(t => t.PersistJob(jobId));
        SetExpiry(JobId(jobId), "NULL", null);
    }

    /// <param name="expiry">The new <c>expireat</c>; <c>@5</c> stands for <paramref name="seconds"/>.</param>
    private void SetExpiry(long jobId, string expiry, long? seconds)
    {
        // Statements batched since the state change write no job's expiry and read none, so setting it with the state is
        // the same as setting it after them.
        if (_stateWithoutExpiry.Remove(jobId, out var index))
        {
            var (_, values) = _statements[index];
            _statements[index] = (string.Format(CultureInfo.InvariantCulture, SetStateSql, ", expireat = " + expiry), [.. values, seconds]);
            return;
        }
        Batch($"UPDATE {Table("job")} SET expireat = {expiry.Replace("@5", "@1", StringComparison.Ordinal)} WHERE id = @0", jobId, seconds);
    }

    public override void AddToQueue(string queue, string jobId)
    {
        _replay.Add(t => t.AddToQueue(queue, jobId));
        Batch($"INSERT INTO {Table("jobqueue")} (jobid, queue) VALUES (@0, @1)", JobId(jobId), queue);
    }

    public override void IncrementCounter(string key) => Counter(key, +1, null);

    public override void IncrementCounter(string key, TimeSpan expireIn) => Counter(key, +1, expireIn);

    public override void DecrementCounter(string key) => Counter(key, -1, null);

    public override void DecrementCounter(string key, TimeSpan expireIn) => Counter(key, -1, expireIn);

    private void Counter(string key, int value, TimeSpan? expireIn)
    {
        if (expireIn is { } expiry)
        {
            _replay.Add(value > 0 ? t => t.IncrementCounter(key, expiry) : t => t.DecrementCounter(key, expiry));
            Batch($"INSERT INTO {Table("counter")} (key, value, expireat) VALUES (@0, @1, NOW() + @2 * INTERVAL '1 second')",
                key, value, (long)expiry.TotalSeconds);
        }
        else
        {
            _replay.Add(value > 0 ? t => t.IncrementCounter(key) : t => t.DecrementCounter(key));
            Batch($"INSERT INTO {Table("counter")} (key, value) VALUES (@0, @1)", key, value);
        }
    }

    // Everything else goes to Hangfire.PostgreSql's transaction, replayed with the writes before it.
    public override void AddToSet(string key, string value) => Unbatchable(t => t.AddToSet(key, value));

    public override void AddToSet(string key, string value, double score) => Unbatchable(t => t.AddToSet(key, value, score));

    public override void RemoveFromSet(string key, string value) => Unbatchable(t => t.RemoveFromSet(key, value));

    public override void InsertToList(string key, string value) => Unbatchable(t => t.InsertToList(key, value));

    public override void RemoveFromList(string key, string value) => Unbatchable(t => t.RemoveFromList(key, value));

    public override void TrimList(string key, int keepStartingFrom, int keepEndingAt) => Unbatchable(t => t.TrimList(key, keepStartingFrom, keepEndingAt));

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs)
    {
        var pairs = keyValuePairs?.ToList() ?? throw new ArgumentNullException(nameof(keyValuePairs));
        Unbatchable(t => t.SetRangeInHash(key, pairs));
    }

    public override void RemoveHash(string key) => Unbatchable(t => t.RemoveHash(key));

    public override void ExpireSet(string key, TimeSpan expireIn) => Unbatchable(t => Extended(t).ExpireSet(key, expireIn));

    public override void ExpireList(string key, TimeSpan expireIn) => Unbatchable(t => Extended(t).ExpireList(key, expireIn));

    public override void ExpireHash(string key, TimeSpan expireIn) => Unbatchable(t => Extended(t).ExpireHash(key, expireIn));

    public override void PersistSet(string key) => Unbatchable(t => Extended(t).PersistSet(key));

    public override void PersistList(string key) => Unbatchable(t => Extended(t).PersistList(key));

    public override void PersistHash(string key) => Unbatchable(t => Extended(t).PersistHash(key));

    public override void AddRangeToSet(string key, IList<string> items)
    {
        var copy = items?.ToList() ?? throw new ArgumentNullException(nameof(items));
        Unbatchable(t => Extended(t).AddRangeToSet(key, copy));
    }

    public override void RemoveSet(string key) => Unbatchable(t => Extended(t).RemoveSet(key));

    private static JobStorageTransaction Extended(IWriteOnlyTransaction inner) =>
        inner as JobStorageTransaction ?? throw new NotSupportedException($"{inner.GetType()} is not a JobStorageTransaction.");

    public override void Commit()
    {
        if (_onlyBatchable)
        {
            if (_statements.Count == 0)
            {
                return;
            }
            // Closed, so Dapper opens it and the pool gets it back on dispose; no explicit transaction: the command's
            // statements are one implicit transaction.
            var parameters = new DynamicParameters();
            var sql = new List<string>(_statements.Count);
            foreach (var (statement, values) in _statements)
            {
                var number = sql.Count;
                for (var i = 0; i < values.Length; i++)
                {
                    parameters.Add(string.Create(CultureInfo.InvariantCulture, $"p{number}_{i}"), values[i]);
                }
                sql.Add(Placeholder().Replace(statement, m => string.Create(CultureInfo.InvariantCulture, $"@p{number}_{m.Groups[1].Value}")));
            }
            using var connection = writes.Connections.GetOrCreateConnection();
            connection.Execute(string.Join(";\n", sql), parameters);
            return;
        }
        _inner ??= createInner();
        foreach (var write in _replay)
        {
            write(_inner);
        }
        _inner.Commit();
    }

    public override void Dispose()
    {
        _inner?.Dispose();
        base.Dispose();
    }
}
