using ClaimsOffice.Database;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Transactions;

namespace ClaimsOffice.TestKit.Builders;

/// <summary>A customer, and the transactions they will say were not them.</summary>
public sealed record Victim(Customer Customer, IReadOnlyList<PaymentTransaction> Disputed)
{
    public IReadOnlyList<string> DisputedReferences => [.. Disputed.Select(t => t.Reference)];
    public long DisputedTotal => Disputed.Sum(t => t.Amount);
}

/// <summary>
/// The three kinds of claim the first rule set is built for, each on a customer with 60 days of ordinary
/// history from their own phone. Times are relative to <paramref name="now"/>.
/// </summary>
public static class Scenarios
{
    /// <summary>7pay-style: an attacker device signs in to many accounts and spends this one's balance. Clears automatically.</summary>
    public static async Task<Victim> CredentialStuffingVictimAsync(IDbConnectionFactory db, DateTimeOffset now, long amountPerPayment = 9_800, int payments = 2, CancellationToken ct = default)
    {
        var (customer, _, merchant) = await OrdinaryCustomerAsync(db, now, ct);
        var attackerDevice = "attacker-" + Guid.NewGuid().ToString("N")[..8];
        var attackerIp = $"203.0.113.{Random.Shared.Next(1, 250)}";
        var attackAt = now.AddHours(-3);
        // The same device signs in to other accounts around the same time.
        for (var i = 0; i < 6; i++)
        {
            var other = await new CustomerBuilder().Named($"Other victim {i}").InsertAsync(db, ct);
            await AccountActivity.AddEventAsync(db, other.Id, AccountEventKinds.SignIn, attackAt.AddMinutes(i * 7), attackerDevice, attackerIp, ct: ct);
        }
        await AccountActivity.AddEventAsync(db, customer.Id, AccountEventKinds.SignInFailed, attackAt.AddMinutes(-2), attackerDevice, attackerIp, ct: ct);
        await AccountActivity.AddEventAsync(db, customer.Id, AccountEventKinds.SignIn, attackAt, attackerDevice, attackerIp, ct: ct);
        var disputed = new List<PaymentTransaction>();
        for (var i = 0; i < payments; i++)
        {
            disputed.Add(await new TransactionBuilder(customer.Id).Payment(amountPerPayment).AtMerchant(merchant)
                .At(attackAt.AddMinutes(3 + i)).From(attackerDevice, attackerIp).InsertAsync(db, ct));
        }
        return new Victim(customer, disputed);
    }

    /// <summary>docomo 口座-style: a bank account linked from a new device, then money pulled and spent within minutes. Clears automatically.</summary>
    public static async Task<Victim> BankLinkVictimAsync(IDbConnectionFactory db, DateTimeOffset now, CancellationToken ct = default)
    {
        var (customer, _, merchant) = await OrdinaryCustomerAsync(db, now, ct);
        var thiefDevice = "thief-" + Guid.NewGuid().ToString("N")[..8];
        const string thiefIp = "198.51.100.23";
        var linkAt = now.AddHours(-20);
        await AccountActivity.AddEventAsync(db, customer.Id, AccountEventKinds.DeviceAdded, linkAt.AddMinutes(-5), thiefDevice, thiefIp, ct: ct);
        await AccountActivity.AddEventAsync(db, customer.Id, AccountEventKinds.BankAccountLinked, linkAt, thiefDevice, thiefIp, "Yucho Bank ****4321", ct);
        var topUp = await new TransactionBuilder(customer.Id).Kind(TransactionKinds.BankTopUp).Amount(50_000).To("Yucho Bank ****4321")
            .At(linkAt.AddMinutes(4)).From(thiefDevice, thiefIp).InsertAsync(db, ct);
        var spend = await new TransactionBuilder(customer.Id).Payment(48_000).AtMerchant(merchant)
            .At(linkAt.AddMinutes(9)).From(thiefDevice, thiefIp).InsertAsync(db, ct);
        return new Victim(customer, [topUp, spend]);
    }

    /// <summary>A customer disputing a payment they made from their own long-used phone. Needs a person.</summary>
    public static async Task<Victim> OwnPaymentDisputerAsync(IDbConnectionFactory db, DateTimeOffset now, CancellationToken ct = default)
    {
        var (customer, ordinary, merchant) = await OrdinaryCustomerAsync(db, now, ct);
        var own = ordinary[0].DeviceFingerprint!;
        var payment = await new TransactionBuilder(customer.Id).Payment(12_000).AtMerchant(merchant)
            .At(now.AddDays(-2)).From(own, ordinary[0].IpAddress!).InsertAsync(db, ct);
        return new Victim(customer, [payment]);
    }

    private static async Task<(Customer Customer, IReadOnlyList<PaymentTransaction> Ordinary, long MerchantId)> OrdinaryCustomerAsync(IDbConnectionFactory db, DateTimeOffset now, CancellationToken ct)
    {
        var customer = await new CustomerBuilder().Named("Aoi Kobayashi").CreatedAt(now.AddYears(-3)).InsertAsync(db, ct);
        var phone = "phone-" + Guid.NewGuid().ToString("N")[..8];
        var homeIp = $"192.0.2.{Random.Shared.Next(1, 250)}";
        await AccountActivity.AddDeviceAsync(db, customer.Id, phone, now.AddDays(-400), ct: ct);
        var merchant = await AccountActivity.AddMerchantAsync(db, ct: ct);
        var ordinary = new List<PaymentTransaction>();
        for (var day = 60; day >= 5; day -= 5)
        {
            await AccountActivity.AddEventAsync(db, customer.Id, AccountEventKinds.SignIn, now.AddDays(-day).AddMinutes(-10), phone, homeIp, ct: ct);
            ordinary.Add(await new TransactionBuilder(customer.Id).Payment(800 + (day * 37 % 2_000)).AtMerchant(merchant)
                .At(now.AddDays(-day)).From(phone, homeIp).InsertAsync(db, ct));
        }
        return (customer, ordinary, merchant);
    }
}
