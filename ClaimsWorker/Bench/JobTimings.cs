using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ClaimsOffice.Worker.Jobs;
using Quartz;
using Quartz.Extensibility;

namespace ClaimsOffice.Worker.Bench;

/// <summary>
/// In-process only: when each assessment job started and how long it ran, to split the latency into
/// "waiting for Quartz" (enqueue + pickup) and "assessing" (loading evidence, rules, the payout transaction).
/// </summary>
internal sealed class JobTimings(TimeProvider clock) : IJobListener
{
    private readonly ConcurrentDictionary<long, (DateTimeOffset Started, double RunMs)> _jobs = new();
    private readonly ConcurrentDictionary<string, long> _starts = new(StringComparer.Ordinal);

    public string Name => "bench-job-timings";

    public IReadOnlyDictionary<long, (DateTimeOffset Started, double RunMs)> Jobs => _jobs;

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ClaimId(context) is { } id)
        {
            _jobs[id] = (clock.GetUtcNow(), 0);
            _starts[context.FireInstanceId] = Stopwatch.GetTimestamp();
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ClaimId(context) is { } id && _jobs.TryGetValue(id, out var job) && _starts.TryRemove(context.FireInstanceId, out var began))
        {
            _jobs[id] = (job.Started, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask JobProgressChanged(IJobExecutionContext context, FireInstanceProgress progress, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    private static long? ClaimId(IJobExecutionContext context) =>
        context.JobDetail.Key.Group == AssessClaimJob.Group && context.MergedJobDataMap.GetString(AssessClaimJob.ClaimIdKey) is { } raw
            ? long.Parse(raw, CultureInfo.InvariantCulture)
            : null;
}
