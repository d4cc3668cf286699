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

    /// <summary>The batch, with the links, the other payers and the history all in [from, to].</summary>
    private static Task<ClaimSignals> SignalsAsync(TestDatabase db, long claimId, long customerId, string[] devices, string[] ips, string[] payees,
        DateTimeOffset from, DateTimeOffset to, params SeenWindow[] seen) =>
        new AssessmentSignalsRepository(db.Connections).GetClaimSignalsAsync(
            new ClaimSignalsQuery(claimId, customerId, devices, ips, payees, from, from, to, from, to) { SeenWindows = seen }, CancellationToken.None);

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

        var links = (await SignalsAsync(db, mine.Id, victim.Id, ["attacker-1"], ["198.51.100.7"], ["mule-1"], Now.AddDays(-7), Now)).CampaignLinks;

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

        var byIpOnly = await SignalsAsync(db, mine.Id, victim.Id, [], ["198.51.100.8"], [], Now.AddDays(-7), Now);
        var nothingAsked = await SignalsAsync(db, mine.Id, victim.Id, [], [], [], Now.AddDays(-7), Now);

        var link = Assert.Single(byIpOnly.CampaignLinks);
        Assert.Equal((theirs.ClaimNumber, "ip"), (link.ClaimNumber, link.SharedBy));
        Assert.Empty(byIpOnly.OtherPayersPerPayee);
        Assert.Empty(nothingAsked.CampaignLinks);
        Assert.Empty(nothingAsked.OtherPayersPerPayee);
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
        var expected = new Dictionary<string, long>(StringComparer.Ordinal) { ["mule-x"] = 2, ["mule-y"] = 1, ["nobody"] = 0 };

        // No claim of the victim's: nothing to exclude but the victim.
        var together = await SignalsAsync(db, 0, victim.Id, [], [], ["mule-x", "mule-y", "nobody"], from, Now);

        Assert.Equal(expected, together.OtherPayersPerPayee);
        foreach (var (payee, payers) in expected)
        {
            var alone = await SignalsAsync(db, 0, victim.Id, [], [], [payee], from, Now);
            Assert.Equal(KeyValuePair.Create(payee, payers), Assert.Single(alone.OtherPayersPerPayee));
        }
        Assert.Empty((await SignalsAsync(db, 0, victim.Id, [], [], [], from, Now)).OtherPayersPerPayee);
    }

    [DatabaseTheory]
    public async Task Accounts_seen_on_a_device_or_ip_are_counted_in_its_window_once_each_up_to_the_cap_in_the_order_asked(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var from = Now.AddHours(-6);
        // One more account than the cap on the attacker's device, inside the window.
        for (var i = 0; i <= CustomerRepository.AccountCountCap; i++)
        {
            var account = await new CustomerBuilder().InsertAsync(db.Connections);
            await AccountActivity.AddEventAsync(db.Connections, account.Id, AccountEventKinds.SignIn, from.AddMinutes(i), "attacker-7", "203.0.113.70");
        }
        // On the shared IP: one account twice (counted once), one at each edge of the window, one before it and one after it.
        var twice = await new CustomerBuilder().InsertAsync(db.Connections);
        var atStart = await new CustomerBuilder().InsertAsync(db.Connections);
        var atEnd = await new CustomerBuilder().InsertAsync(db.Connections);
        var before = await new CustomerBuilder().InsertAsync(db.Connections);
        var after = await new CustomerBuilder().InsertAsync(db.Connections);
        await AccountActivity.AddEventAsync(db.Connections, twice.Id, AccountEventKinds.SignIn, Now.AddHours(-2), "phone-a", "192.0.2.77");
        await AccountActivity.AddEventAsync(db.Connections, twice.Id, AccountEventKinds.SignInFailed, Now.AddHours(-1), "phone-a", "192.0.2.77");
        await AccountActivity.AddEventAsync(db.Connections, atStart.Id, AccountEventKinds.SignIn, from, "phone-b", "192.0.2.77");
        await AccountActivity.AddEventAsync(db.Connections, atEnd.Id, AccountEventKinds.SignIn, Now, "phone-c", "192.0.2.77");
        await AccountActivity.AddEventAsync(db.Connections, before.Id, AccountEventKinds.SignIn, from.AddSeconds(-1), "phone-d", "192.0.2.77");
        await AccountActivity.AddEventAsync(db.Connections, after.Id, AccountEventKinds.SignIn, Now.AddSeconds(1), "phone-e", "192.0.2.77");
        var asker = await new CustomerBuilder().InsertAsync(db.Connections);

        var signals = await SignalsAsync(db, 0, asker.Id, [], [], [], from, Now,
            new(SeenBy.Ip, "192.0.2.77", from, Now),
            new(SeenBy.Device, "attacker-7", from, Now),
            // The IP address asked about as a device matches nothing: each window looks at its own column.
            new(SeenBy.Device, "192.0.2.77", from, Now),
            new(SeenBy.Device, "phone-a", Now.AddHours(-1).AddSeconds(1), Now),
            new(SeenBy.Ip, "203.0.113.70", from, from.AddMinutes(2)));

        Assert.Equal([3L, CustomerRepository.AccountCountCap, 0L, 0L, 3L], signals.AccountsSeen);
    }

    [DatabaseTheory]
    public async Task The_claims_signals_come_in_one_round_trip_each_for_this_customer_and_its_windows(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await new CustomerBuilder().CreatedAt(Now.AddYears(-2)).InsertAsync(db.Connections);
        var other = await new CustomerBuilder().InsertAsync(db.Connections);
        // An imported customer with the victim's phone number (only imported customers may share one).
        await db.ExecuteAsync("INSERT INTO customers (external_id, full_name, email, phone, created_at) VALUES ('C-shared', 'Shared', 'shared@example.com', @phone, @at)",
            new { phone = victim.Phone, at = Now.AddYears(-1) });
        var earlier = await FileAsync(db, victim.Id, Now.AddDays(-3), new TransactionBuilder(victim.Id).Payment(900).At(Now.AddDays(-3)).From("phone-1", "192.0.2.9"));
        var mine = await FileAsync(db, victim.Id, Now,
            new TransactionBuilder(victim.Id).Payment(1_000).At(Now.AddHours(-2)).From("attacker-9", "198.51.100.9").To("mule-9"),
            new TransactionBuilder(victim.Id).Payment(1_100).At(Now.AddHours(-1)).From("attacker-9", "198.51.100.10").To("mule-10"));
        var theirs = await FileAsync(db, other.Id, Now.AddHours(-1), new TransactionBuilder(other.Id).Payment(2_000).At(Now.AddHours(-3)).From("attacker-9", "203.0.113.9").To("mule-9"));
        // Outside the history window (it ends an hour ago): neither in the history nor in the events.
        await new TransactionBuilder(victim.Id).Payment(1_200).At(Now.AddMinutes(-30)).InsertAsync(db.Connections);
        await AccountActivity.AddEventAsync(db.Connections, victim.Id, AccountEventKinds.SignIn, Now.AddMinutes(-30), "phone-1", "192.0.2.9");
        var repository = new AssessmentSignalsRepository(db.Connections);
        string[] devices = ["attacker-9"], ips = ["198.51.100.9", "198.51.100.10"], payees = ["mule-9", "mule-10"];

        SeenWindow[] seenWindows =
        [
            new(SeenBy.Device, "attacker-9", Now.AddHours(-6), Now),
            new(SeenBy.Ip, "198.51.100.9", Now.AddHours(-6), Now),
            new(SeenBy.Device, "nobody-device", Now.AddHours(-6), Now),
        ];
        await AccountActivity.AddEventAsync(db.Connections, victim.Id, AccountEventKinds.SignIn, Now.AddHours(-2), "attacker-9", "198.51.100.9");
        await AccountActivity.AddEventAsync(db.Connections, other.Id, AccountEventKinds.SignIn, Now.AddHours(-3), "attacker-9", "203.0.113.9");
        await AccountActivity.AddDeviceAsync(db.Connections, victim.Id, "tablet-2", Now.AddDays(-10));
        await AccountActivity.AddDeviceAsync(db.Connections, victim.Id, "phone-1", Now.AddDays(-200));
        await AccountActivity.AddDeviceAsync(db.Connections, other.Id, "attacker-9", Now.AddDays(-1));

        var signals = await repository.GetClaimSignalsAsync(
            new ClaimSignalsQuery(mine.Id, victim.Id, devices, ips, payees, Now.AddDays(-7), Now.AddDays(-8), Now, Now.AddDays(-90), Now.AddHours(-1))
            { SeenWindows = seenWindows }, CancellationToken.None);

        Assert.Equal([2L, 1L, 0L], signals.AccountsSeen);
        var customers = new CustomerRepository(db.Connections);
        Assert.Equal(await customers.ListEventsAsync(victim.Id, Now.AddDays(-90), Now.AddHours(-1), CancellationToken.None), signals.Events);
        var signIn = Assert.Single(signals.Events);
        Assert.Equal((victim.Id, AccountEventKinds.SignIn, Now.AddHours(-2), "attacker-9", "198.51.100.9"),
            (signIn.CustomerId, signIn.Kind, signIn.OccurredAt, signIn.DeviceFingerprint, signIn.IpAddress));
        Assert.Equal([("phone-1", Now.AddDays(-200)), ("tablet-2", Now.AddDays(-10))], signals.Devices.Select(d => (d.Fingerprint, d.FirstSeenAt)));
        Assert.All(signals.Devices, d => Assert.Equal(victim.Id, d.CustomerId));

        Assert.Equal([(theirs.ClaimNumber, other.Id, "device", "attacker-9"), (theirs.ClaimNumber, other.Id, "payee", "mule-9")],
            signals.CampaignLinks.Select(l => (l.ClaimNumber, l.CustomerId, l.SharedBy, l.Value)).Order());
        Assert.Equal(new Dictionary<string, long>(StringComparer.Ordinal) { ["mule-9"] = 1, ["mule-10"] = 0 }, signals.OtherPayersPerPayee);
        Assert.Equal(new AccountFacts { CreatedAt = Now.AddYears(-2), AccountsSharingContact = 1 }, signals.Account);
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
        Assert.Empty(nothingShared.Events);
        Assert.Empty(nothingShared.AccountsSeen);

        var unknown = await repository.GetClaimSignalsAsync(
            new ClaimSignalsQuery(0, -1, [], [], [], Now.AddDays(-7), Now.AddDays(-7), Now, Now.AddDays(-90), Now), CancellationToken.None);
        Assert.Null(unknown.Account);
        Assert.Empty(unknown.CustomerClaims);
        Assert.Empty(unknown.Devices);
    }
}
