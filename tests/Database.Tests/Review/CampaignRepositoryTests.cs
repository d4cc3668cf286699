using ClaimsOffice.Database.Review;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using Dapper;

namespace ClaimsOffice.Database.Tests.Review;

public sealed class CampaignRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = FixedClock.DefaultStart;

    private static async Task<long?> CampaignOfAsync(TestDatabase db, long claimId)
    {
        await using var c = await db.Connections.OpenAsync(None);
        return await c.ExecuteScalarAsync<long?>("SELECT campaign_id FROM claims WHERE id = @claimId", new { claimId });
    }

    private static async Task RejectAsync(TestDatabase db, long claimId)
    {
        await using var c = await db.Connections.OpenAsync(None);
        await c.ExecuteAsync("UPDATE claims SET status = 'Rejected' WHERE id = @claimId", new { claimId });
    }

    [DatabaseTheory]
    public async Task Open_claims_sharing_a_device_ip_or_payee_become_campaigns_device_first_and_closed_claims_neither_count_nor_join(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        // Three claims from one device (each its own IP): a device campaign.
        var device1 = await new ClaimInReviewBuilder().FromAttacker("dev-A", "198.51.100.1").InsertAsync(db.Connections);
        var device2 = await new ClaimInReviewBuilder().FromAttacker("dev-A", "198.51.100.2").InsertAsync(db.Connections);
        var device3 = await new ClaimInReviewBuilder().FromAttacker("dev-A", "198.51.100.3").InsertAsync(db.Connections);
        // Two more from the first one's IP on other devices: with it, three share the IP; they make an IP campaign, it stays in the device's.
        var ip1 = await new ClaimInReviewBuilder().FromAttacker("dev-B1", "198.51.100.1").InsertAsync(db.Connections);
        var ip2 = await new ClaimInReviewBuilder().FromAttacker("dev-B2", "198.51.100.1").InsertAsync(db.Connections);
        // Three sharing both a device and an IP: one device campaign, no empty IP campaign beside it.
        var both = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            both.Add((await new ClaimInReviewBuilder().FromAttacker("dev-C", "192.0.2.50").InsertAsync(db.Connections)).Id);
        }
        // A payee shared by two open claims and a rejected one: too few open claims.
        var payee1 = await new ClaimInReviewBuilder().Disputing(4_000, "mule-account-9").InsertAsync(db.Connections);
        var payee2 = await new ClaimInReviewBuilder().Disputing(6_000, "mule-account-9").InsertAsync(db.Connections);
        var payeeClosed = await new ClaimInReviewBuilder().Disputing(8_000, "mule-account-9").InsertAsync(db.Connections);
        await RejectAsync(db, payeeClosed.Id);
        // A rejected claim from the campaign's device: not counted, not tagged.
        var deviceClosed = await new ClaimInReviewBuilder().FromAttacker("dev-A", "198.51.100.9").InsertAsync(db.Connections);
        await RejectAsync(db, deviceClosed.Id);
        var unrelated = await new ClaimInReviewBuilder().FromAttacker("dev-lonely", "203.0.113.200").InsertAsync(db.Connections);
        var repository = new CampaignRepository(db.Connections);

        Assert.Equal(8, await repository.DetectAsync(3, Now, None));

        var campaigns = await repository.ListAsync(None);
        Assert.Equal(
            [(CampaignSignals.Device, "dev-A", 3L), (CampaignSignals.Device, "dev-C", 3L), (CampaignSignals.Ip, "198.51.100.1", 2L)],
            campaigns.Select(c => (c.SignalKind, c.SignalValue, c.OpenClaims)).Order());
        var byValue = campaigns.ToDictionary(c => c.SignalValue, c => c.Id);
        foreach (var claim in new[] { device1, device2, device3 })
        {
            Assert.Equal(byValue["dev-A"], await CampaignOfAsync(db, claim.Id));
        }
        foreach (var claim in new[] { ip1, ip2 })
        {
            Assert.Equal(byValue["198.51.100.1"], await CampaignOfAsync(db, claim.Id));
        }
        foreach (var claim in both)
        {
            Assert.Equal(byValue["dev-C"], await CampaignOfAsync(db, claim));
        }
        foreach (var claim in new[] { payee1, payee2, payeeClosed, deviceClosed, unrelated })
        {
            Assert.Null(await CampaignOfAsync(db, claim.Id));
        }
        Assert.All(campaigns, c => Assert.Equal(Now, c.CreatedAt));
    }

    [DatabaseTheory]
    public async Task A_second_run_finds_nothing_new_and_a_claim_that_arrives_later_joins_the_existing_campaign(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new CampaignRepository(db.Connections);
        await new ClaimInReviewBuilder().FromAttacker("dev-late", "198.51.100.40").InsertAsync(db.Connections);
        await new ClaimInReviewBuilder().FromAttacker("dev-late", "198.51.100.41").InsertAsync(db.Connections);

        // Two claims are not yet a campaign of three; with a minimum of two they would be.
        Assert.Equal(0, await repository.DetectAsync(3, Now, None));
        Assert.Empty(await repository.ListAsync(None));

        var third = await new ClaimInReviewBuilder().FromAttacker("dev-late", "198.51.100.42").InsertAsync(db.Connections);
        Assert.Equal(3, await repository.DetectAsync(3, Now, None));
        var campaign = Assert.Single(await repository.ListAsync(None));
        Assert.Equal(campaign.Id, await CampaignOfAsync(db, third.Id));

        Assert.Equal(0, await repository.DetectAsync(3, Now.AddMinutes(1), None));
        Assert.Equal(campaign, Assert.Single(await repository.ListAsync(None)));

        var fourth = await new ClaimInReviewBuilder().FromAttacker("dev-late", "198.51.100.43").InsertAsync(db.Connections);
        Assert.Equal(1, await repository.DetectAsync(3, Now.AddMinutes(2), None));
        var grown = Assert.Single(await repository.ListAsync(None));
        Assert.Equal((campaign.Id, campaign.CreatedAt, 4L), (grown.Id, grown.CreatedAt, grown.OpenClaims));
        Assert.Equal(campaign.Id, await CampaignOfAsync(db, fourth.Id));
    }

    [DatabaseTheory]
    public async Task A_claim_decided_before_detection_stays_out_and_one_decided_after_keeps_its_campaign(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new CampaignRepository(db.Connections);
        var claims = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            claims.Add((await new ClaimInReviewBuilder().FromAttacker("dev-mixed", "198.51.100.60").InsertAsync(db.Connections)).Id);
        }
        await RejectAsync(db, claims[0]);
        await RejectAsync(db, claims[1]);

        // Two open claims left: not a campaign, and the rejected ones are not tagged.
        Assert.Equal(0, await repository.DetectAsync(3, Now, None));
        Assert.Equal(2, await repository.DetectAsync(2, Now, None));
        var campaign = Assert.Single(await repository.ListAsync(None));
        Assert.Null(await CampaignOfAsync(db, claims[0]));
        Assert.Equal(campaign.Id, await CampaignOfAsync(db, claims[2]));

        // Decided claims stay in their campaign (the campaign page lists them); only open ones count on the list.
        await RejectAsync(db, claims[2]);
        Assert.Equal(0, await repository.DetectAsync(2, Now, None));
        Assert.Equal(campaign.Id, await CampaignOfAsync(db, claims[2]));
        Assert.Equal(1, Assert.Single(await repository.ListAsync(None)).OpenClaims);
    }
}
