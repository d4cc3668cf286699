using ClaimsOffice.Database;
using Hangfire;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;

namespace ClaimsOffice.Worker.Jobs.Storage;

/// <summary>
/// Hangfire.PostgreSql's storage with its distributed locks served by PostgreSQL session advisory locks instead of its
/// <c>lock</c> table (ADR 0005, amendment "advisory locks"): every member forwards to the inner storage, and every
/// connection it hands out is an <see cref="AdvisoryLockConnection"/>.
/// </summary>
/// <remarks>
/// All locks taken through Hangfire's connections go this way (job state locks, the delayed-job and recurring-job
/// schedulers', the maintenance loop's): a resource is only exclusive if every process locks it the same way, and
/// one mechanism for all of them is the simplest rule to keep. Hangfire.PostgreSql's own background components
/// (expiration manager, counters aggregator) lock through the inner storage directly and keep its table.
/// </remarks>
internal sealed class AdvisoryLockStorage : JobStorage
{
    private readonly JobStorage _inner;
    private readonly IDbConnectionFactory _lockConnections;
    private readonly BatchedWrites? _writes;

    /// <param name="inner">Hangfire.PostgreSql's storage.</param>
    /// <param name="lockConnections">Where lock sessions come from: the repositories' pool (see <see cref="AdvisoryLockConnection"/>).</param>
    /// <param name="writes">Where state changes send their writes as one command; null for Hangfire.PostgreSql's own transaction.</param>
    public AdvisoryLockStorage(JobStorage inner, IDbConnectionFactory lockConnections, BatchedWrites? writes = null)
    {
        _writes = writes;
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _lockConnections = lockConnections ?? throw new ArgumentNullException(nameof(lockConnections));
        // Not virtual: Hangfire reads it from the storage it was given (this one), so copy the inner value.
        JobExpirationTimeout = inner.JobExpirationTimeout;
    }

    public override bool LinearizableReads => _inner.LinearizableReads;

    public override IMonitoringApi GetMonitoringApi() => _inner.GetMonitoringApi();

    public override IStorageConnection GetConnection() => Wrap(_inner.GetConnection());

    public override IStorageConnection GetReadOnlyConnection() => Wrap(_inner.GetReadOnlyConnection());

    // Hangfire 1.8 still asks a storage without the ProcessesInsteadOfComponents feature for its components.
    [Obsolete("Hangfire's own obsoletion: forwarded while the inner storage still provides components.")]
    public override IEnumerable<IServerComponent> GetComponents()
    {
#pragma warning disable CS0618
        return _inner.GetComponents();
#pragma warning restore CS0618
    }

    public override IEnumerable<IBackgroundProcess> GetServerRequiredProcesses() => _inner.GetServerRequiredProcesses();

    public override IEnumerable<IBackgroundProcess> GetStorageWideProcesses() => _inner.GetStorageWideProcesses();

    public override IEnumerable<IStateHandler> GetStateHandlers() => _inner.GetStateHandlers();

    public override void WriteOptionsToLog(ILog logger) => _inner.WriteOptionsToLog(logger);

    public override bool HasFeature(string featureId) => _inner.HasFeature(featureId);

    public override string ToString() => _inner.ToString() ?? nameof(AdvisoryLockStorage);

    private AdvisoryLockConnection Wrap(IStorageConnection connection) =>
        connection as JobStorageConnection is { } inner
            ? new AdvisoryLockConnection(inner, _lockConnections, _writes)
            : throw new InvalidOperationException($"The job storage's connection {connection.GetType()} is not a JobStorageConnection.");
}
