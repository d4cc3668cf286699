using ClaimsOffice.Database.Audit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClaimsOffice.Worker.Audit;

/// <summary>
/// Seals the audit entries committed on PostgreSQL into the hash chain (ADR 0010): soon after this process
/// appends, and every few seconds for entries other processes left (every portal and worker runs one; they take
/// turns). Sealing late loses nothing: an unsealed entry is only not yet covered by the chain.
/// </summary>
public sealed class AuditSealingLoop(AuditLog audit, TimeProvider clock, ILogger<AuditSealingLoop> logger) : BackgroundService
{
    /// <summary>Waits this long after an append, so that its transaction commits and the next ones share the pass.</summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan IdleInterval = TimeSpan.FromSeconds(5);

    private long _lastPassTicks = clock.GetUtcNow().UtcTicks;

    /// <summary>When this process last finished a sealing pass (or started, before the first).</summary>
    public DateTimeOffset LastPass => new(Interlocked.Read(ref _lastPassTicks), TimeSpan.Zero);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await audit.SealPendingAsync(stoppingToken);
                Interlocked.Exchange(ref _lastPassTicks, clock.GetUtcNow().UtcTicks);
                await audit.WaitForAppendAsync(IdleInterval, stoppingToken);
                await Task.Delay(BatchWindow, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database hiccup: the entries stay in the table, unsealed, and the next pass takes them.
                logger.LogWarning(ex, "Sealing the audit chain failed; the next pass retries");
                await Task.Delay(IdleInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
