using System.Globalization;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// Hangfire's job filters for this application: its global filters and the jobs' own attributes (AutomaticRetry),
/// less three global defaults that cost statements on every job and that nothing here uses (ADR 0005, 2026-11-26):
/// <list type="bullet">
/// <item><see cref="CaptureCultureAttribute"/>: a parameter row per job and two reads per run; the engine formats
/// with the invariant culture.</item>
/// <item><see cref="StatisticsHistoryAttribute"/>: two expiring counter rows per job for the dashboard's history
/// graph; <see cref="FailureHistoryFilter"/> keeps its failed line (rare), the succeeded line stays at zero.</item>
/// <item><see cref="ContinuationsSupportAttribute"/>: a parameter read per finished job; no job here has a
/// continuation (ContinueJobWith would wait forever without it).</item>
/// </list>
/// Filters added to <see cref="GlobalJobFilters"/> at run time (the bench's timings) still apply.
/// </summary>
public sealed class ClaimsJobFilterProvider(TimeProvider clock) : IJobFilterProvider
{
    private readonly JobFilter _failureHistory = new(new FailureHistoryFilter(clock), JobFilterScope.Global, null);

    public IEnumerable<JobFilter> GetFilters(Job job) =>
        JobFilterProviders.Providers.GetFilters(job)
            .Where(f => f.Instance is not (CaptureCultureAttribute or StatisticsHistoryAttribute or ContinuationsSupportAttribute))
            .Append(_failureHistory);
}

/// <summary>
/// Counts a job that failed in the dashboard's history graph (per day and per hour, the keys the dashboard reads),
/// in the same transaction as the state change, at the host's <see cref="TimeProvider"/>'s time. Counted when the
/// Failed state is applied, not when it is a candidate: a retry filter may still turn a candidate into Scheduled, and a
/// job already Failed is not counted again. Succeeded jobs are not counted per hour: two writes per claim.
/// </summary>
public sealed class FailureHistoryFilter(TimeProvider clock) : IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transaction);
        if (context.NewState.Name != FailedState.StateName || context.OldStateName == FailedState.StateName)
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        transaction.IncrementCounter("stats:failed:" + now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), now.AddMonths(1) - now);
        transaction.IncrementCounter("stats:failed:" + now.ToString("yyyy-MM-dd-HH", CultureInfo.InvariantCulture), TimeSpan.FromDays(1));
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
