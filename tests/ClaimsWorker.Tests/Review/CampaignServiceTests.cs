using ClaimsOffice.Database.Payouts;
using ClaimsOffice.Database.Review;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Review;

namespace ClaimsOffice.Worker.Tests.Review;

public sealed class CampaignServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [DatabaseTheory]
    public async Task Bulk_approval_pays_each_matching_claim_within_limits_with_its_own_audit_entry(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        const string device = "attacker-campaign-1";
        var agent = await new StaffMemberBuilder().Named("Bulk Agent").Agent().WithLimit(30_000).InsertAsync(w.Db.Connections);
        var other = await new StaffMemberBuilder().Named("Other Agent").Agent().WithLimit(30_000).InsertAsync(w.Db.Connections);
        ClaimInReviewBuilder Attack(long amount) => new ClaimInReviewBuilder().FromAttacker(device, "203.0.113.77").Disputing(amount);
        var matching1 = await Attack(9_000).WithFinding("shared-device-or-ip").InsertAsync(w.Db.Connections);
        var matching2 = await Attack(11_000).WithFinding("shared-device-or-ip").WithFinding("new-device").InsertAsync(w.Db.Connections);
        var noFinding = await Attack(5_000).WithFinding("new-device").InsertAsync(w.Db.Connections);
        var tooLarge = await Attack(40_000).WithFinding("shared-device-or-ip").InsertAsync(w.Db.Connections);
        var heldByOther = await Attack(6_000).WithFinding("shared-device-or-ip").InsertAsync(w.Db.Connections);
        var unrelated = await new ClaimInReviewBuilder().WithFinding("shared-device-or-ip").InsertAsync(w.Db.Connections);
        Assert.True((await w.Get<ReviewService>().TakeAsync(heldByOther.Id, 0, other, None)).Succeeded);
        var campaigns = w.Get<CampaignService>();

        Assert.Equal(5, await campaigns.DetectAsync(None));
        var campaign = Assert.Single(await w.Get<CampaignRepository>().ListAsync(None), c => c.SignalKind == CampaignSignals.Device);
        Assert.Equal((device, 5L, 71_000L), (campaign.SignalValue, campaign.OpenClaims, campaign.OpenAmount));
        Assert.Null((await w.ClaimAsync(unrelated.Id)).CampaignId);

        var result = await campaigns.ApproveMatchingAsync(campaign.Id, agent, ["shared-device-or-ip"], None);

        Assert.Equal((2, 3), (result.Approved, result.Skipped));
        Assert.Equal(ReviewOutcomeKind.Invalid, result.Items.Single(i => i.ClaimId == noFinding.Id).Outcome.Kind);
        Assert.Equal(ReviewOutcomeKind.Forbidden, result.Items.Single(i => i.ClaimId == tooLarge.Id).Outcome.Kind);
        Assert.False(result.Items.Single(i => i.ClaimId == heldByOther.Id).Outcome.Succeeded);
        foreach (var paid in new[] { matching1, matching2 })
        {
            Assert.Equal(ReviewStatus.Paid, (await w.ClaimAsync(paid.Id)).Status);
            Assert.Single(await w.Get<PayoutRepository>().ListForClaimAsync(paid.Id, None));
            Assert.Equal(["claim.approved", "claim.paid"], await w.AuditActionsAsync(paid));
        }
        foreach (var untouched in new[] { noFinding, tooLarge })
        {
            Assert.Equal(ReviewStatus.InReview, (await w.ClaimAsync(untouched.Id)).Status);
            Assert.Empty(await w.AuditActionsAsync(untouched));
        }
        Assert.Equal(other, (await w.ClaimAsync(heldByOther.Id)).AssignedTo);
        Assert.Equal(ReviewStatus.InReview, (await w.ClaimAsync(heldByOther.Id)).Status);
    }

    [DatabaseTheory]
    public async Task The_claim_page_lists_other_claims_sharing_the_attackers_signals(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var first = await new ClaimInReviewBuilder().FromAttacker("dev-shared", "198.51.100.1").InsertAsync(w.Db.Connections);
        var sameDevice = await new ClaimInReviewBuilder().FromAttacker("dev-shared", "198.51.100.2").InsertAsync(w.Db.Connections);
        var sameIp = await new ClaimInReviewBuilder().FromAttacker("dev-other", "198.51.100.1").InsertAsync(w.Db.Connections);
        await new ClaimInReviewBuilder().FromAttacker("dev-unrelated", "198.51.100.3").InsertAsync(w.Db.Connections);

        var related = await w.Get<CampaignRepository>().ListRelatedAsync(first.Id, 20, None);

        Assert.Equal(new[] { sameDevice.Id, sameIp.Id }.Order(), related.Select(r => r.Id).Distinct().Order());
        Assert.Contains(related, r => r.Id == sameDevice.Id && r.SignalKind == CampaignSignals.Device);
        Assert.Contains(related, r => r.Id == sameIp.Id && r.SignalKind == CampaignSignals.Ip);
    }
}
