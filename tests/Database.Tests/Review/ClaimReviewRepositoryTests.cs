using ClaimsOffice.Database.Review;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using Dapper;

namespace ClaimsOffice.Database.Tests.Review;

public sealed class ClaimReviewRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [DatabaseTheory]
    public async Task Related_claims_are_those_sharing_the_attackers_device_ip_or_payee_in_any_state_newest_first(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var claim = await new ClaimInReviewBuilder().FromAttacker("dev-shared", "198.51.100.1").Disputing(5_000, "mule-account-7").InsertAsync(db.Connections);
        var sameDevice = await new ClaimInReviewBuilder().FromAttacker("dev-shared", "198.51.100.2").InsertAsync(db.Connections);
        var sameIp = await new ClaimInReviewBuilder().FromAttacker("dev-other", "198.51.100.1").InsertAsync(db.Connections);
        var samePayee = await new ClaimInReviewBuilder().Disputing(7_000, "mule-account-7").InsertAsync(db.Connections);
        var unrelated = await new ClaimInReviewBuilder().FromAttacker("dev-unrelated", "198.51.100.3").InsertAsync(db.Connections);
        await using (var c = await db.Connections.OpenAsync(None))
        {
            // Closed claims still count as evidence of the same attacker.
            await c.ExecuteAsync("UPDATE claims SET status = 'Rejected' WHERE id = @id", new { id = sameIp.Id });
        }
        var repository = new ClaimReviewRepository(db.Connections);

        var related = await repository.ListRelatedAsync(claim.Id, 20, None);

        Assert.Equal(
            [(samePayee.Id, CampaignSignals.Payee, "mule-account-7"), (sameIp.Id, CampaignSignals.Ip, "198.51.100.1"), (sameDevice.Id, CampaignSignals.Device, "dev-shared")],
            related.Select(r => (r.Id, r.SignalKind, r.SignalValue)));
        Assert.Equal(ReviewStatus.Rejected, related.Single(r => r.Id == sameIp.Id).Status);
        Assert.DoesNotContain(related, r => r.Id == unrelated.Id || r.Id == claim.Id);
        Assert.Equal([samePayee.Id], (await repository.ListRelatedAsync(claim.Id, 1, None)).Select(r => r.Id));
        Assert.Empty(await repository.ListRelatedAsync(unrelated.Id, 20, None));
    }
}
