using System.Diagnostics;
using ClaimsOffice.Worker.Intake;

namespace ClaimsOffice.Worker.Bench;

/// <summary>What filing produced: each planned claim's id (0 when filing failed) and how long the intake call took.</summary>
public sealed record FilingReport(long[] ClaimIds, double[] IntakeMs, int Failed, string? FirstError, TimeSpan Duration);

/// <summary>
/// Files claims at a steady rate through the same intake the portal uses: claim i is due at
/// start + i/rate, and each filing runs as its own task so one slow call never delays the schedule.
/// At most <c>maxConcurrent</c> filings run at once (the bench's connection pool): a burst beyond it waits
/// its turn here, as visitors would wait on a portal, instead of timing out in the pool and being refused.
/// The intake time of a claim includes that wait.
/// </summary>
internal static class ClaimFiler
{
    public static async Task<FilingReport> FileAsync(ClaimIntake intake, IReadOnlyList<PlannedClaim> planned, double rate, int maxConcurrent, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        using var slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
        var ids = new long[planned.Count];
        var intakeMs = new double[planned.Count];
        var tasks = new Task[planned.Count];
        var failed = 0;
        string? firstError = null;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < planned.Count; i++)
        {
            var wait = TimeSpan.FromSeconds(i / rate) - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }
            var index = i;
            // Task.Run: SQLite's "async" calls complete synchronously and would otherwise run on this loop.
            tasks[i] = Task.Run(async () =>
            {
                var claim = planned[index];
                var began = Stopwatch.GetTimestamp();
                await slots.WaitAsync(ct);
                try
                {
                    var result = await intake.FileAsync(new FileClaimRequest(claim.CustomerId, [claim.Reference],
                        claim.CredentialStuffing ? "Someone took over my account and spent my balance." : "I do not recognise this payment."), ct);
                    if (result.Claim is { } filed)
                    {
                        ids[index] = filed.Id;
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstError, string.Join("; ", result.Errors.Select(e => e.Message)), null);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
                }
                finally
                {
                    slots.Release();
                    intakeMs[index] = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                }
            }, ct);
        }
        await Task.WhenAll(tasks);
        return new FilingReport(ids, intakeMs, failed, firstError, Stopwatch.GetElapsedTime(start));
    }
}
