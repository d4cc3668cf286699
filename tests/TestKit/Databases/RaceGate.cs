using System.Data.Common;
using ClaimsOffice.Database;

namespace ClaimsOffice.TestKit.Databases;

/// <summary>
/// Lines up concurrent runs at a chosen point: each run that arrives waits until <c>parties</c> runs have arrived,
/// then all go on together. A run left waiting alone fails after <see cref="Patience"/> instead of hanging.
/// </summary>
public sealed class RaceGate(int parties)
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public int Arrived => Volatile.Read(ref _arrived);

    public async Task ArriveAndWaitAsync(CancellationToken ct)
    {
        if (Interlocked.Increment(ref _arrived) >= parties)
        {
            _open.TrySetResult();
        }
        try
        {
            await _open.Task.WaitAsync(Patience, ct);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Only {Arrived} of {parties} runs reached the gate within {Patience.TotalSeconds} s.", ex);
        }
    }
}

/// <summary>
/// A connection factory for one simulated process that, once armed, holds its Nth connection request of the
/// armed call at a <see cref="RaceGate"/>. The services open a new connection per step, so "the second
/// connection" is a point in their code: after the status check's read, before the transaction that writes.
/// </summary>
public sealed class GatedConnectionFactory(IDbConnectionFactory inner) : IDbConnectionFactory
{
    private RaceGate? _gate;
    private int _holdAt;
    private int _opens;

    public SqlDialect Dialect => inner.Dialect;

    /// <summary>Holds the <paramref name="holdAtOpen"/>th connection request from now on at <paramref name="gate"/>, once.</summary>
    public void Arm(RaceGate gate, int holdAtOpen)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(holdAtOpen, 1);
        Volatile.Write(ref _opens, 0);
        _holdAt = holdAtOpen;
        Volatile.Write(ref _gate, gate);
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _gate) is { } gate && Interlocked.Increment(ref _opens) == _holdAt)
        {
            Volatile.Write(ref _gate, null);
            await gate.ArriveAndWaitAsync(ct);
        }
        return await inner.OpenAsync(ct);
    }
}
