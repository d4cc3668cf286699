using ClaimsOffice.Database.Review;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Jobs;
using ClaimsOffice.Worker.Review;
using Dapper;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace ClaimsOffice.Worker.Tests.Jobs;

[Collection(HangfireCollection.Name)]
public sealed class DetectCampaignsJobTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [DatabaseTheory]
    public async Task A_running_worker_groups_claims_sharing_a_device_into_a_campaign_without_anyone_asking(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        using var worker = await JobsTestHost.StartAsync(db, settings: new Dictionary<string, string?> { ["Review:CampaignDetectionInterval"] = "00:00:01" });
        var repository = worker.Services.GetRequiredService<CampaignRepository>();
        var attack = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            attack.Add((await new ClaimInReviewBuilder().FromAttacker("dev-attack-live", $"198.51.100.{70 + i}").InsertAsync(db.Connections)).Id);
        }
        var unrelated = await new ClaimInReviewBuilder().FromAttacker("dev-bystander", "203.0.113.70").InsertAsync(db.Connections);

        await WaitFor.UntilAsync(async () => (await repository.ListAsync(None)).Count > 0, TimeSpan.FromSeconds(30), "the worker to find the campaign");

        var campaign = Assert.Single(await repository.ListAsync(None));
        Assert.Equal((CampaignSignals.Device, "dev-attack-live", 3L), (campaign.SignalKind, campaign.SignalValue, campaign.OpenClaims));
        await using (var c = await db.Connections.OpenAsync(None))
        {
            Assert.Equal(attack.Order(), (await c.QueryAsync<long>("SELECT id FROM claims WHERE campaign_id = @id", new { id = campaign.Id })).Order());
            Assert.Null(await c.ExecuteScalarAsync<long?>("SELECT campaign_id FROM claims WHERE id = @id", new { id = unrelated.Id }));
        }
        // A claim of the same attack filed later joins the campaign by itself too.
        var late = await new ClaimInReviewBuilder().FromAttacker("dev-attack-live", "198.51.100.79").InsertAsync(db.Connections);
        await WaitFor.UntilAsync(async () => (await repository.GetAsync(campaign.Id, None))!.OpenClaims == 4, TimeSpan.FromSeconds(30), "the late claim to join");
        Assert.Equal(campaign.Id, (await worker.Services.GetRequiredService<ClaimReviewRepository>().GetAsync(late.Id, None))!.CampaignId);
        await worker.StopAsync();
    }

    [DatabaseTheory]
    public async Task A_worker_schedules_detection_every_minute_by_default_and_none_when_the_interval_is_zero(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        using (var worker = await JobsTestHost.StartAsync(db))
        {
            using var connection = worker.Services.GetRequiredService<JobStorage>().GetConnection();
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == DetectCampaignsJob.Id);
            Assert.Equal(Cron.Minutely(), job.Cron);
            Assert.Equal(typeof(DetectCampaignsJob), job.Job.Type);
            await worker.StopAsync();
        }
        // Embedded mode keeps jobs in memory: this only shows anything on the shared PostgreSQL storage.
        if (kind == DatabaseKind.Postgres)
        {
            using var off = await JobsTestHost.StartAsync(db, settings: new Dictionary<string, string?> { ["Review:CampaignDetectionInterval"] = "00:00:00" });
            using var connection = off.Services.GetRequiredService<JobStorage>().GetConnection();
            Assert.DoesNotContain(connection.GetRecurringJobs(), j => j.Id == DetectCampaignsJob.Id);
            await off.StopAsync();
        }
    }

    [Fact]
    public async Task A_worker_with_an_interval_cron_cannot_express_refuses_to_start_and_says_what_to_set()
    {
        using var storage = new InMemoryStorage();
        var registration = new RecurringJobsRegistration(new RecurringJobManager(storage),
            Options.Create(new ReviewOptions { CampaignDetectionInterval = TimeSpan.FromSeconds(45) }));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => registration.StartAsync(None));

        Assert.Contains("Review:CampaignDetectionInterval is 00:00:45", error.Message, StringComparison.Ordinal);
        Assert.Contains("00:05:00", error.Message, StringComparison.Ordinal);
        using var connection = storage.GetConnection();
        Assert.DoesNotContain(connection.GetRecurringJobs(), j => j.Id == DetectCampaignsJob.Id);
    }

    [Theory]
    [InlineData("00:01:00", "* * * * *")]
    [InlineData("00:05:00", "*/5 * * * *")]
    [InlineData("01:00:00", "0 * * * *")]
    [InlineData("00:00:01", "* * * * * *")]
    [InlineData("00:00:15", "*/15 * * * * *")]
    public void Intervals_that_divide_a_minute_or_an_hour_become_cron(string interval, string cron) =>
        Assert.Equal(cron, DetectCampaignsJob.Cron(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("00:00:00.500")]
    [InlineData("00:00:07")]
    [InlineData("00:07:00")]
    [InlineData("02:00:00")]
    [InlineData("-00:01:00")]
    public void Other_intervals_are_refused(string interval) =>
        Assert.Throws<ArgumentException>(() => DetectCampaignsJob.Cron(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)));
}
