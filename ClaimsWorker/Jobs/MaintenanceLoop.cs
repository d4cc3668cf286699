using ClaimsOffice.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>Wakes the maintenance loop of this process early (a sign-in code to send now).</summary>
public sealed class MaintenanceSignal
{
    private readonly SemaphoreSlim _outbox = new(0, 1);

    public void NudgeOutbox()
    {
        try
        {
            _outbox.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already nudged; one run delivers everything due.
        }
    }

    internal Task<bool> WaitOutboxAsync(TimeSpan timeout, CancellationToken ct) => _outbox.WaitAsync(timeout, ct);
}

/// <summary>
/// The outbox dispatcher (every <c>Worker:OutboxInterval</c>, or at once when nudged) and the sweep (every
/// <c>Worker:SweepInterval</c>) on every worker, each under a cluster-wide lock. A loop and not Hangfire
/// recurring jobs: their cron cannot go below a minute, and a job per second would cost more than the dispatch.
/// </summary>
public sealed class MaintenanceLoop(
    IServiceProvider services,
    MaintenanceSignal signal,
    IOptions<WorkerOptions> options,
    TimeProvider clock,
    ILogger<MaintenanceLoop> logger) : BackgroundService
{
    /// <summary>Logged once the Hangfire server of this process has started; the bench waits for it.</summary>
    public const string ReadyMessage = "Jobs: server and maintenance loop running";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var outbox = services.GetRequiredService<DispatchOutboxJob>();
        var sweep = services.GetRequiredService<SweepSubmittedClaimsJob>();
        var embedded = services.GetRequiredService<Hangfire.JobStorage>() is Hangfire.InMemory.InMemoryStorage;
        logger.LogInformation(ReadyMessage);
        // Embedded: the queue lived in memory and died with the last process, so every Submitted claim is orphaned.
        var nextSweepAge = embedded ? TimeSpan.Zero : options.Value.SweepAfter;
        var nextSweep = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            await RunSafelyAsync("outbox", outbox.RunAsync, stoppingToken);
            if (clock.GetUtcNow() >= nextSweep)
            {
                var age = nextSweepAge;
                await RunSafelyAsync("sweep", ct => sweep.RunAsync(age, ct), stoppingToken);
                nextSweepAge = options.Value.SweepAfter;
                nextSweep = clock.GetUtcNow() + options.Value.SweepInterval;
            }
            try
            {
                await signal.WaitOutboxAsync(options.Value.OutboxInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunSafelyAsync(string name, Func<CancellationToken, Task<bool>> run, CancellationToken ct)
    {
        try
        {
            await run(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A database hiccup: the next round tries again; nothing is lost (the work is in the database).
            logger.LogWarning(ex, "Maintenance {Name} failed; next round retries", name);
        }
    }
}
