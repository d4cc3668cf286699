using ClaimsOffice.Database.Approvals;
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
    public async Task Bulk_approval_pays_matching_claims_within_limits_and_sends_larger_ones_to_finance_each_with_its_own_audit_entry(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        const string device = "attacker-campaign-1";
        var agent = await new StaffMemberBuilder().Named("Bulk Agent").Agent().WithLimit(30_000).InsertAsync(w.Db.Connections);
        var other = await new StaffMemberBuilder().Named("Other Agent").Agent().WithLimit(30_000).InsertAsync(w.Db.Connections);
        ClaimInReviewBuilder Attack(long amount) => new ClaimInReviewBuilder().FromAttacker(device, "203.0.113.77").Disputing(amount);
        var matching1 = await Attack(9_000).WithFinding("shared-device-or-ip").InsertAsync(w.Db.Connections);
        var matching2 = await Attack(11_000).WithFinding("shared-device-or-ip").WithFinding("new-device").InsertAsync(w.Db.Connections);
        var noFinding = await Attack(5_000).WithFinding("new-device").InsertAsync(w.Db.Connections);
        var aboveAgentLimit = await Attack(40_000).WithFinding("shared-device-or-ip").InsertAsync(w.Db.Connections);
        var heldByOther = await Attack(6_000).WithFinding("shared-device-or-ip").InsertAsync(w.Db.Connections);
        var unrelated = await new ClaimInReviewBuilder().WithFinding("shared-device-or-ip").InsertAsync(w.Db.Connections);
        Assert.True((await w.Get<ReviewService>().TakeAsync(heldByOther.Id, 0, other, None)).Succeeded);
        var campaigns = w.Get<CampaignService>();

        Assert.Equal(5, await campaigns.DetectAsync(None));
        var campaign = Assert.Single(await w.Get<CampaignRepository>().ListAsync(None), c => c.SignalKind == CampaignSignals.Device);
        Assert.Equal((device, 5L, 71_000L), (campaign.SignalValue, campaign.OpenClaims, campaign.OpenAmount));
        Assert.Null((await w.ClaimAsync(unrelated.Id)).CampaignId);

        var result = await campaigns.ApproveMatchingAsync(campaign.Id, agent, ["shared-device-or-ip"], None);

        Assert.Equal((2, 1, 2), (result.Paid, result.SentForApproval, result.Skipped));
        Assert.Contains("missing shared-device-or-ip", result.Items.Single(i => i.ClaimId == noFinding.Id).Outcome.Message, StringComparison.Ordinal);
        Assert.Contains("Other Agent has it", result.Items.Single(i => i.ClaimId == heldByOther.Id).Outcome.Message, StringComparison.Ordinal);
        foreach (var paid in new[] { matching1, matching2 })
        {
            Assert.Equal(ReviewStatus.Paid, (await w.ClaimAsync(paid.Id)).Status);
            Assert.Single(await w.Get<PayoutRepository>().ListForClaimAsync(paid.Id, None));
            Assert.Equal(["claim.approved", "claim.paid"], await w.AuditActionsAsync(paid));
        }
        // Above the agent's limit: approved as a single approval would be, the payout waits for finance.
        Assert.Equal(ReviewStatus.AwaitingApproval, (await w.ClaimAsync(aboveAgentLimit.Id)).Status);
        Assert.Empty(await w.Get<PayoutRepository>().ListForClaimAsync(aboveAgentLimit.Id, None));
        Assert.Equal(40_000, Assert.Single(await w.Get<PayoutApprovalRepository>().ListForClaimAsync(aboveAgentLimit.Id, None)).RequestedAmount);
        Assert.Equal(["claim.approved"], await w.AuditActionsAsync(aboveAgentLimit));
        Assert.Equal(ReviewStatus.InReview, (await w.ClaimAsync(noFinding.Id)).Status);
        Assert.Empty(await w.AuditActionsAsync(noFinding));
        Assert.Equal(other, (await w.ClaimAsync(heldByOther.Id)).AssignedTo);
        Assert.Equal(ReviewStatus.InReview, (await w.ClaimAsync(heldByOther.Id)).Status);

        // Run again: nothing is decided twice; the claim waiting for finance is not offered again.
        var again = await campaigns.ApproveMatchingAsync(campaign.Id, agent, ["shared-device-or-ip"], None);
        Assert.Equal((0, 0), (again.Paid, again.SentForApproval));
        Assert.Equal(new[] { noFinding.Id, heldByOther.Id }.Order(), again.Items.Select(i => i.ClaimId).Order());
        Assert.Single(await w.Get<PayoutRepository>().ListForClaimAsync(matching1.Id, None));
    }

    [DatabaseTheory]
    public async Task Bulk_approval_skips_a_claim_with_a_finding_that_needs_a_person_and_refuses_an_empty_choice(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var agent = await new StaffMemberBuilder().Named("Bulk Agent").Agent().WithLimit(300_000).InsertAsync(w.Db.Connections);
        ClaimInReviewBuilder Attack() => new ClaimInReviewBuilder().FromAttacker("dev-blocked", "198.51.100.50").Disputing(8_000).WithFinding("new-device");
        await Attack().InsertAsync(w.Db.Connections);
        await Attack().InsertAsync(w.Db.Connections);
        var ownPhone = await Attack().AgainstFinding("trusted-device").InsertAsync(w.Db.Connections);
        await w.Get<CampaignService>().DetectAsync(None);
        var campaign = Assert.Single(await w.Get<CampaignRepository>().ListAsync(None), c => c.SignalKind == CampaignSignals.Device);

        var empty = await w.Get<CampaignService>().ApproveMatchingAsync(campaign.Id, agent, [], None);
        Assert.Equal(ReviewOutcomeKind.Invalid, Assert.Single(empty.Items).Outcome.Kind);
        Assert.Equal(3, (await w.Get<CampaignRepository>().GetAsync(campaign.Id, None))!.OpenClaims);

        var result = await w.Get<CampaignService>().ApproveMatchingAsync(campaign.Id, agent, ["new-device"], None);

        Assert.Equal((2, 0, 1), (result.Paid, result.SentForApproval, result.Skipped));
        Assert.Contains("needs a person (trusted-device)", Assert.Single(result.SkippedItems).Outcome.Message, StringComparison.Ordinal);
        Assert.Equal(ReviewStatus.InReview, (await w.ClaimAsync(ownPhone.Id)).Status);
    }

    [DatabaseTheory]
    public async Task The_claim_page_lists_other_claims_sharing_the_attackers_signals(DatabaseKind kind)
    {
        await using var w = await ReviewWorld.CreateAsync(kind);
        var first = await new ClaimInReviewBuilder().FromAttacker("dev-shared", "198.51.100.1").InsertAsync(w.Db.Connections);
        var sameDevice = await new ClaimInReviewBuilder().FromAttacker("dev-shared", "198.51.100.2").InsertAsync(w.Db.Connections);
        var sameIp = await new ClaimInReviewBuilder().FromAttacker("dev-other", "198.51.100.1").InsertAsync(w.Db.Connections);
        await new ClaimInReviewBuilder().FromAttacker("dev-unrelated", "198.51.100.3").InsertAsync(w.Db.Connections);

        var related = await w.Get<ClaimReviewRepository>().ListRelatedAsync(first.Id, 20, None);

        Assert.Equal(new[] { sameDevice.Id, sameIp.Id }.Order(), related.Select(r => r.Id).Distinct().Order());
        Assert.Contains(related, r => r.Id == sameDevice.Id && r.SignalKind == CampaignSignals.Device);
        Assert.Contains(related, r => r.Id == sameIp.Id && r.SignalKind == CampaignSignals.Ip);
    }
}
