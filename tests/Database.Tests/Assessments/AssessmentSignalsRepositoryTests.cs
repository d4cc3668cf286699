using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Transactions;
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

    [DatabaseTheory]
    public async Task Other_payers_of_several_payees_are_counted_in_one_query_as_each_alone(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await new CustomerBuilder().InsertAsync(db.Connections);
        var a = await new CustomerBuilder().InsertAsync(db.Connections);
        var b = await new CustomerBuilder().InsertAsync(db.Connections);
        var c = await new CustomerBuilder().InsertAsync(db.Connections);
        var from = Now.AddDays(-7);
        // mule-x: a, and b twice (one payer); c before the window and after it; the victim's own payment does not count.
        await new TransactionBuilder(a.Id).Payment(100).At(Now.AddDays(-1)).To("mule-x").InsertAsync(db.Connections);
        await new TransactionBuilder(b.Id).Payment(200).At(Now.AddDays(-2)).To("mule-x").InsertAsync(db.Connections);
        await new TransactionBuilder(b.Id).Payment(300).At(from).To("mule-x").InsertAsync(db.Connections);
        await new TransactionBuilder(c.Id).Payment(400).At(from.AddSeconds(-1)).To("mule-x").InsertAsync(db.Connections);
        await new TransactionBuilder(c.Id).Payment(500).At(Now.AddSeconds(1)).To("mule-x").InsertAsync(db.Connections);
        await new TransactionBuilder(victim.Id).Payment(600).At(Now.AddHours(-1)).To("mule-x").InsertAsync(db.Connections);
        // mule-y: c only, at the window's end.
        await new TransactionBuilder(c.Id).Payment(700).At(Now).To("mule-y").InsertAsync(db.Connections);
        var repository = new AssessmentSignalsRepository(db.Connections);

        var together = await repository.CountOtherPayersAsync(["mule-x", "mule-y", "nobody"], victim.Id, from, Now, CancellationToken.None);

        Assert.Equal(
            new Dictionary<string, long>(StringComparer.Ordinal) { ["mule-x"] = 2, ["mule-y"] = 1, ["nobody"] = 0 },
            together);
        foreach (var payee in together.Keys)
        {
            Assert.Equal(together[payee], await repository.CountOtherPayersAsync(payee, victim.Id, from, Now, CancellationToken.None));
        }
        Assert.Empty(await repository.CountOtherPayersAsync([], victim.Id, from, Now, CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task The_claims_signals_in_one_round_trip_are_what_the_separate_queries_return(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await new CustomerBuilder().InsertAsync(db.Connections);
        var other = await new CustomerBuilder().InsertAsync(db.Connections);
        var earlier = await FileAsync(db, victim.Id, Now.AddDays(-3), new TransactionBuilder(victim.Id).Payment(900).At(Now.AddDays(-3)).From("phone-1", "192.0.2.9"));
        var mine = await FileAsync(db, victim.Id, Now,
            new TransactionBuilder(victim.Id).Payment(1_000).At(Now.AddHours(-2)).From("attacker-9", "198.51.100.9").To("mule-9"),
            new TransactionBuilder(victim.Id).Payment(1_100).At(Now.AddHours(-1)).From("attacker-9", "198.51.100.10").To("mule-10"));
        var theirs = await FileAsync(db, other.Id, Now.AddHours(-1), new TransactionBuilder(other.Id).Payment(2_000).At(Now.AddHours(-3)).From("attacker-9", "203.0.113.9").To("mule-9"));
        var repository = new AssessmentSignalsRepository(db.Connections);
        string[] devices = ["attacker-9"], ips = ["198.51.100.9", "198.51.100.10"], payees = ["mule-9", "mule-10"];

        SeenWindow[] seenWindows =
        [
            new(SeenBy.Device, "attacker-9", Now.AddHours(-6), Now),
            new(SeenBy.Ip, "198.51.100.9", Now.AddHours(-6), Now),
            new(SeenBy.Device, "nobody-device", Now.AddHours(-6), Now),
        ];
        await AccountActivity.AddEventAsync(db.Connections, victim.Id, "login", Now.AddHours(-2), "attacker-9", "198.51.100.9");
        await AccountActivity.AddEventAsync(db.Connections, other.Id, "login", Now.AddHours(-3), "attacker-9", "203.0.113.9");
        await AccountActivity.AddDeviceAsync(db.Connections, victim.Id, "phone-1", Now.AddDays(-200));

        var signals = await repository.GetClaimSignalsAsync(
            new ClaimSignalsQuery(mine.Id, victim.Id, devices, ips, payees, Now.AddDays(-7), Now.AddDays(-8), Now, Now.AddDays(-90), Now.AddHours(-1))
            { SeenWindows = seenWindows }, CancellationToken.None);

        var customers = new CustomerRepository(db.Connections);
        Assert.Equal(await customers.CountAccountsSeenAsync(seenWindows, CancellationToken.None), signals.AccountsSeen);
        Assert.Equal([2L, 1L, 0L], signals.AccountsSeen);
        Assert.Equal(await customers.ListEventsAsync(victim.Id, Now.AddDays(-90), Now.AddHours(-1), CancellationToken.None), signals.Events);
        Assert.Single(signals.Events);
        Assert.Equal(await customers.ListDevicesAsync(victim.Id, CancellationToken.None), signals.Devices);
        Assert.Equal("phone-1", Assert.Single(signals.Devices).Fingerprint);

        var links = await repository.ListCampaignLinksAsync(mine.Id, victim.Id, devices, ips, payees, Now.AddDays(-7), Now, CancellationToken.None);
        Assert.Equal(links.Select(l => (l.ClaimNumber, l.SharedBy, l.Value)).Order(), signals.CampaignLinks.Select(l => (l.ClaimNumber, l.SharedBy, l.Value)).Order());
        Assert.Equal([(theirs.ClaimNumber, "device"), (theirs.ClaimNumber, "payee")], signals.CampaignLinks.Select(l => (l.ClaimNumber, l.SharedBy)).Order());
        Assert.Equal(await repository.CountOtherPayersAsync(payees, victim.Id, Now.AddDays(-8), Now, CancellationToken.None), signals.OtherPayersPerPayee);
        Assert.Equal(new Dictionary<string, long>(StringComparer.Ordinal) { ["mule-9"] = 1, ["mule-10"] = 0 }, signals.OtherPayersPerPayee);
        Assert.Equal(await repository.GetAccountFactsAsync(victim.Id, CancellationToken.None), signals.Account);
        Assert.NotNull(signals.Account);
        Assert.Equal(await new ClaimRepository(db.Connections).ListForCustomerAsync(victim.Id, CancellationToken.None), signals.CustomerClaims);
        Assert.Equal([mine.ClaimNumber, earlier.ClaimNumber], signals.CustomerClaims.Select(c => c.ClaimNumber));
        Assert.Equal(await new TransactionRepository(db.Connections).ListBetweenAsync(victim.Id, Now.AddDays(-90), Now.AddHours(-1), CancellationToken.None), signals.History);
        Assert.Equal([900L, 1_000L, 1_100L], signals.History.Select(t => t.Amount));

        var nothingShared = await repository.GetClaimSignalsAsync(
            new ClaimSignalsQuery(earlier.Id, victim.Id, [], [], [], Now.AddDays(-10), Now.AddDays(-10), Now.AddDays(-3), Now.AddDays(-4), Now.AddDays(-3).AddSeconds(-1)), CancellationToken.None);
        Assert.Empty(nothingShared.CampaignLinks);
        Assert.Empty(nothingShared.OtherPayersPerPayee);
        Assert.Equal(2, nothingShared.CustomerClaims.Count);
        Assert.Empty(nothingShared.History);
        Assert.Empty(nothingShared.AccountsSeen);
    }
}
