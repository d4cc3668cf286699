using System.Globalization;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Jobs;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit;

namespace ClaimsOffice.Worker.Tests.Jobs;

/// <summary>
/// The filter set without Hangfire's culture, per-hour statistics and continuation filters (ADR 0005, 2026-11-26)
/// still retries a failing job a bounded number of times and leaves it visible as failed.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class JobFiltersTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    [Fact]
    public void The_claim_job_keeps_its_three_retries_and_drops_the_filters_that_cost_a_statement_per_job()
    {
        var filters = new ClaimsJobFilterProvider(TimeProvider.System)
            .GetFilters(Job.FromExpression<AssessClaimJob>(j => j.RunAsync(1, CancellationToken.None)))
            .Select(f => f.Instance)
            .ToList();

        // The job's own attribute replaces the global default of 10 attempts.
        var retry = Assert.Single(filters.OfType<AutomaticRetryAttribute>());
        Assert.Equal(AssessClaimJob.RetryAttempts, retry.Attempts);
        Assert.Equal(AttemptsExceededAction.Fail, retry.OnAttemptsExceeded);
        Assert.Single(filters.OfType<FailureHistoryFilter>());
        Assert.DoesNotContain(filters, f => f is CaptureCultureAttribute or StatisticsHistoryAttribute or ContinuationsSupportAttribute);
    }

    [DatabaseTheory]
    public async Task A_job_that_keeps_throwing_is_retried_then_stays_failed_on_the_dashboard_and_in_health(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        // Campaign detection is a recurring job, once a minute by default: when a minute turned during the test, it
        // succeeded too and the totals counted two successes. Detection from the page only, so the totals are these jobs'.
        using var host = await JobsTestHost.StartAsync(db, settings: new Dictionary<string, string?> { ["Review:CampaignDetectionInterval"] = "00:00:00" });
        var jobs = host.Services.GetRequiredService<IBackgroundJobClient>();
        var monitor = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

        var failing = jobs.Enqueue<AlwaysFailingJob>(j => j.RunAsync(CancellationToken.None));
        var succeeding = jobs.Enqueue<SucceedingJob>(j => j.RunAsync(CancellationToken.None));

        await WaitFor.UntilAsync(() => Task.FromResult(monitor.JobDetails(failing)?.History.FirstOrDefault()?.StateName == FailedState.StateName),
            Deadline, "the failing job to end Failed", () => string.Join(" <- ", monitor.JobDetails(failing)?.History.Select(h => h.StateName) ?? []));
        await WaitFor.UntilAsync(() => Task.FromResult(monitor.JobDetails(succeeding)?.History.FirstOrDefault()?.StateName == SucceededState.StateName),
            Deadline, "the other job to succeed");

        // Run once, retried once (its attribute), then left Failed: two runs, no third.
        var history = monitor.JobDetails(failing).History;
        Assert.Equal(AlwaysFailingJob.Attempts + 1, history.Count(h => h.StateName == ProcessingState.StateName));
        Assert.Equal(AlwaysFailingJob.Attempts, history.Count(h => h.StateName == ScheduledState.StateName));
        // What the dashboard shows: the failed list with the exception, the totals, the failed line of the history graph.
        Assert.Contains(monitor.FailedJobs(0, 10), j => j.Key == failing && j.Value.ExceptionMessage == AlwaysFailingJob.Message);
        var stats = monitor.GetStatistics();
        Assert.Equal(1, stats.Failed);
        Assert.Equal(1, stats.Succeeded);
        Assert.Equal(1, monitor.FailedByDatesCount()[DateTime.UtcNow.Date]);
        // And /health.
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "jobs");
        Assert.Equal(HealthStatus.Degraded, health.Entries["jobs"].Status);
        Assert.Contains("1 failed", health.Entries["jobs"].Description, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [DatabaseTheory]
    public async Task A_failed_job_is_counted_in_the_hour_and_day_of_the_hosts_clock_not_the_wall_clock(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        // Years from the wall clock, so no key can be the wall clock's by chance.
        var clock = new FixedClock(new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var host = await JobsTestHost.StartAsync(db, inProcess: false, clock: clock);
        var storage = host.Services.GetRequiredService<JobStorage>();
        var job = Job.FromExpression<AlwaysFailingJob>(j => j.RunAsync(CancellationToken.None));
        // The filter as Hangfire gets it from this host.
        var filter = Assert.Single(host.Services.GetRequiredService<IJobFilterProvider>().GetFilters(job).Select(f => f.Instance).OfType<FailureHistoryFilter>());
        var wallClock = DateTime.UtcNow;

        using (var connection = storage.GetConnection())
        using (var transaction = connection.CreateWriteTransaction())
        {
            var failed = new FailedState(new InvalidOperationException(AlwaysFailingJob.Message));
            filter.OnStateApplied(new ApplyStateContext(storage, connection, transaction,
                new BackgroundJob("1", job, wallClock), failed, ProcessingState.StateName), transaction);
            // A job that succeeds is not counted, nor one that was already Failed (the state applied again).
            filter.OnStateApplied(new ApplyStateContext(storage, connection, transaction,
                new BackgroundJob("2", job, wallClock), new SucceededState(null, 1, 1), ProcessingState.StateName), transaction);
            filter.OnStateApplied(new ApplyStateContext(storage, connection, transaction,
                new BackgroundJob("1", job, wallClock), failed, FailedState.StateName), transaction);
            transaction.Commit();
        }

        using var read = (JobStorageConnection)storage.GetConnection();
        Assert.Equal(1, read.GetCounter("stats:failed:2031-01-02"));
        Assert.Equal(1, read.GetCounter("stats:failed:2031-01-02-03"));
        Assert.Equal(0, read.GetCounter("stats:failed:" + wallClock.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.Equal(0, read.GetCounter("stats:failed:" + wallClock.ToString("yyyy-MM-dd-HH", CultureInfo.InvariantCulture)));
        await host.StopAsync();
    }

    [AutomaticRetry(Attempts = Attempts, DelaysInSeconds = [1], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public sealed class AlwaysFailingJob
    {
        public const int Attempts = 1;
        public const string Message = "the rule engine is down";

        public Task RunAsync(CancellationToken ct) => throw new InvalidOperationException(Message);
    }

    public sealed class SucceedingJob
    {
        public Task RunAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
