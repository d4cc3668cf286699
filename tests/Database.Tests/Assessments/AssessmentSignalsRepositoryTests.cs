using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;

namespace ClaimsOffice.Database.Tests.Assessments;

public sealed class AssessmentSignalsRepositoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private static async Task<Claim> FileAsync(TestDatabase db, long customerId, DateTimeOffset submittedAt, params TransactionBuilder[] disputed)
    {
        var claimed = new List<ClaimedTransaction>();
        foreach (var builder in disputed)
        {
            var transaction = await builder.InsertAsync(db.Connections);
            claimed.Add(new ClaimedTransaction(transaction.Id, transaction.Amount));
        }
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var claim = await new ClaimRepository(db.Connections).InsertAsync(
            new NewClaim(customerId, "Not me", claimed.Sum(c => c.Amount), "JPY", submittedAt, claimed), tx, CancellationToken.None);
        await tx.CommitAsync();
        return claim;
    }

    [DatabaseTheory]
    public async Task Other_customers_claims_in_the_window_are_linked_by_each_shared_device_ip_and_payee_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await new CustomerBuilder().InsertAsync(db.Connections);
        var other = await new CustomerBuilder().InsertAsync(db.Connections);
        var third = await new CustomerBuilder().InsertAsync(db.Connections);
        var before = Now.AddHours(-2);
        var mine = await FileAsync(db, victim.Id, Now, new TransactionBuilder(victim.Id).Payment(1_000).At(before).From("attacker-1", "198.51.100.7").To("mule-1"));
        // Two of its transactions share the device: still one device link.
        var sameDevice = await FileAsync(db, other.Id, Now.AddMinutes(-30),
            new TransactionBuilder(other.Id).Payment(2_000).At(before).From("attacker-1", "203.0.113.1"),
            new TransactionBuilder(other.Id).Payment(3_000).At(before.AddMinutes(1)).From("attacker-1", "203.0.113.2"));
        var sameIpAndPayee = await FileAsync(db, third.Id, Now.AddDays(-1), new TransactionBuilder(third.Id).Payment(4_000).At(before.AddDays(-1)).From("phone-3", "198.51.100.7").To("mule-1"));
        // Not links: the victim's own earlier claim, a claim before the window, a claim sharing nothing.
        await FileAsync(db, victim.Id, Now.AddDays(-2), new TransactionBuilder(victim.Id).Payment(500).At(before.AddDays(-2)).From("attacker-1", "198.51.100.7"));
        await FileAsync(db, other.Id, Now.AddDays(-9), new TransactionBuilder(other.Id).Payment(600).At(before.AddDays(-9)).From("attacker-1", "198.51.100.7"));
        await FileAsync(db, third.Id, Now.AddHours(-1), new TransactionBuilder(third.Id).Payment(700).At(before).From("phone-3", "192.0.2.50").To("landlord"));

        var links = await new AssessmentSignalsRepository(db.Connections).ListCampaignLinksAsync(mine.Id, victim.Id,
            ["attacker-1"], ["198.51.100.7"], ["mule-1"], Now.AddDays(-7), Now, CancellationToken.None);

        Assert.Equal(
            [
                (sameDevice.ClaimNumber, other.Id, "device", "attacker-1"),
                (sameIpAndPayee.ClaimNumber, third.Id, "ip", "198.51.100.7"),
                (sameIpAndPayee.ClaimNumber, third.Id, "payee", "mule-1"),
            ],
            links.Select(l => (l.ClaimNumber, l.CustomerId, l.SharedBy, l.Value)).Order().ToList());
        Assert.All(links, l => Assert.Equal(ClaimStatus.Submitted, l.Status));
    }

    [DatabaseTheory]
    public async Task Only_the_kinds_of_value_asked_for_are_matched(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await new CustomerBuilder().InsertAsync(db.Connections);
        var other = await new CustomerBuilder().InsertAsync(db.Connections);
        var mine = await FileAsync(db, victim.Id, Now, new TransactionBuilder(victim.Id).Payment(1_000).At(Now.AddHours(-1)).From("attacker-2", "198.51.100.8"));
        var theirs = await FileAsync(db, other.Id, Now.AddMinutes(-5), new TransactionBuilder(other.Id).Payment(2_000).At(Now.AddHours(-1)).From("attacker-2", "198.51.100.8"));
        var repository = new AssessmentSignalsRepository(db.Connections);

        var byIpOnly = await repository.ListCampaignLinksAsync(mine.Id, victim.Id, [], ["198.51.100.8"], [], Now.AddDays(-7), Now, CancellationToken.None);
        var nothingAsked = await repository.ListCampaignLinksAsync(mine.Id, victim.Id, [], [], [], Now.AddDays(-7), Now, CancellationToken.None);

        var link = Assert.Single(byIpOnly);
        Assert.Equal((theirs.ClaimNumber, "ip"), (link.ClaimNumber, link.SharedBy));
        Assert.Empty(nothingAsked);
    }
}
