using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Jobs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ClaimsOffice.Worker.Tests.Jobs;

[Collection(HangfireCollection.Name)]
public sealed class RecurringJobsRegistrationTests
{
    [DatabaseTheory]
    public async Task A_worker_schedules_the_daily_ledger_reconciliation_and_a_portal_does_not(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        using (var portal = await JobsTestHost.StartAsync(db, inProcess: false))
        {
            using var connection = portal.Services.GetRequiredService<JobStorage>().GetConnection();
            Assert.DoesNotContain(connection.GetRecurringJobs(), j => j.Id == ReconcileLedgerJob.Id);
            await portal.StopAsync();
        }
        using var worker = await JobsTestHost.StartAsync(db);
        using (var connection = worker.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == ReconcileLedgerJob.Id);
            Assert.Equal(Cron.Daily(3), job.Cron);
            Assert.Equal(typeof(ReconcileLedgerJob), job.Job.Type);
        }
        await worker.StopAsync();
    }
}
