using System.Collections.Concurrent;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Hosting;
using ClaimsOffice.Worker.Intake;
using ClaimsOffice.Worker.SignIn;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.TestKit;

/// <summary>Records what the engine hands to the job queue instead of enqueuing it: the Hangfire adapters have tests of their own (ClaimsWorker.Tests/Jobs).</summary>
public sealed class RecordingQueue : IAssessmentQueue, IOutboxNudge
{
    private readonly ConcurrentQueue<long> _enqueued = new();
    private int _nudges;

    /// <summary>Claim ids handed to the assessment, in order (repeats included).</summary>
    public IReadOnlyList<long> Enqueued => [.. _enqueued];

    public int Nudges => Volatile.Read(ref _nudges);

    public Task EnqueueAsync(long claimId, CancellationToken ct)
    {
        _enqueued.Enqueue(claimId);
        return Task.CompletedTask;
    }

    public Task NudgeAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _nudges);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The claims engine (database, intake, assessment, payouts, notifications, sign-in) on a test database,
/// with the test's clock and a <see cref="RecordingQueue"/> in place of the Hangfire queue and nudge.
/// Each host has its own service provider, so two hosts on one database act like two worker processes.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private EngineHost(ServiceProvider services, RecordingQueue queue)
    {
        _services = services;
        Queue = queue;
    }

    public RecordingQueue Queue { get; }

    public IServiceProvider Services => _services;

    /// <param name="configure">Runs last, to replace a registration (e.g. the database options or connection factory).</param>
    public static EngineHost Create(TestDatabase db, TimeProvider clock, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        var worker = new WorkerOptions();
        var queue = new RecordingQueue();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(worker));
        services.AddClaimsDatabase(db.Options);
        services.AddClaimsEngine(worker);
        services.RemoveAll<TimeProvider>();
        services.AddSingleton(clock);
        services.RemoveAll<IAssessmentQueue>();
        services.RemoveAll<IOutboxNudge>();
        services.AddSingleton<IAssessmentQueue>(queue);
        services.AddSingleton<IOutboxNudge>(queue);
        configure?.Invoke(services);
        return new EngineHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true }), queue);
    }

    public T GetRequiredService<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
