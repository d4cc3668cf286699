using System.Collections.Concurrent;
using System.Diagnostics;
using ClaimsOffice.Worker.Jobs;
using Hangfire.Server;

namespace ClaimsOffice.Worker.Bench;

/// <summary>
/// In-process only: a Hangfire server filter noting when each assessment job started and how long it ran, to
/// split the latency into "waiting for Hangfire" (enqueue + pickup) and "assessing" (evidence, rules, decision).
/// </summary>
internal sealed class JobTimings(TimeProvider clock) : IServerFilter
{
    private readonly ConcurrentDictionary<long, (DateTimeOffset Started, double RunMs)> _jobs = new();
    private readonly ConcurrentDictionary<string, long> _starts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<long, (DateTimeOffset Started, double RunMs)> Jobs => _jobs;

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ClaimId(context) is { } id)
        {
            _jobs[id] = (clock.GetUtcNow(), 0);
            _starts[context.BackgroundJob.Id] = Stopwatch.GetTimestamp();
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ClaimId(context) is { } id && _jobs.TryGetValue(id, out var job) && _starts.TryRemove(context.BackgroundJob.Id, out var began))
        {
            _jobs[id] = (job.Started, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
        }
    }

    private static long? ClaimId(PerformContext context) =>
        context.BackgroundJob.Job is { } job && job.Type == typeof(AssessClaimJob) && job.Args.Count > 0 && job.Args[0] is long id ? id : null;
}
