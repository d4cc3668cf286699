using System.Globalization;
using Bogus;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Transactions;

namespace ClaimsOffice.Worker.Seeding;

internal sealed record CustomerRow(string FullName, string Email, string Phone, DateTimeOffset CreatedAt);

internal sealed record EventRow(int Customer, string Kind, DateTimeOffset OccurredAt, string? Device, string? Ip, string? Detail);

internal sealed record TransactionRow(
    string Reference, int Customer, string Kind, long Amount, int? Merchant, string? Counterparty, DateTimeOffset OccurredAt, string? Device, string? Ip);

internal sealed class DeviceRow(int customer, string fingerprint, string label, DateTimeOffset firstSeenAt)
{
    public int Customer { get; } = customer;
    public string Fingerprint { get; } = fingerprint;
    public string Label { get; } = label;
    public DateTimeOffset FirstSeenAt { get; } = firstSeenAt;
    public DateTimeOffset LastSeenAt { get; private set; } = firstSeenAt;

    public void Seen(DateTimeOffset at)
    {
        if (at > LastSeenAt)
        {
            LastSeenAt = at;
        }
    }
}

internal sealed record IncidentRow(string Kind, int Customer, IReadOnlyList<string> References);

/// <summary>Everything the seeder writes, generated in memory first; customers and merchants are referred to by list index.</summary>
internal sealed record DemoData(
    IReadOnlyList<CustomerRow> Customers,
    IReadOnlyList<DeviceRow> Devices,
    IReadOnlyList<DemoMerchant> Merchants,
    IReadOnlyList<EventRow> Events,
    IReadOnlyList<TransactionRow> Transactions,
    IReadOnlyList<IncidentRow> Incidents);

/// <summary>
/// Generates the demo data from a seed and a clock reading: the same seed gives the same people,
/// devices, amounts and references whenever it runs (only the times move with the clock). All
/// randomness comes from one seeded Bogus randomizer, consumed in an order that never depends on the clock.
/// </summary>
internal sealed class DemoDataGenerator
{
    public const string Currency = "JPY";
    public const int HistoryDays = 90;

    /// <summary>The fixed demo victims, customers 0, 1 and 2, one per incident kind.</summary>
    public static readonly IReadOnlyList<CustomerRow> DemoPeople =
    [
        new("Haruto Sato", "haruto.sato@example.jp", "+819000000001", default),
        new("Yui Tanaka", "yui.tanaka@example.jp", "+819000000002", default),
        new("Ren Suzuki", "ren.suzuki@example.jp", "+819000000003", default),
    ];

    public static readonly IReadOnlyList<string> DemoKinds =
        [DemoVictimKinds.CredentialStuffing, DemoVictimKinds.BankLinkTakeover, DemoVictimKinds.DisputesOwnPayment];

    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);
    private const string ReferenceAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const string Hex = "0123456789abcdef";
    private static readonly int[] TopUpAmounts = [3_000, 5_000, 10_000, 10_000, 20_000, 30_000];
    private static readonly int[] HomeNetworks = [60, 61, 118, 122, 153, 180, 219];
    private static readonly int[] MobileNetworks = [1, 49, 106, 126];
    private static readonly int[] StuffingAmounts = [3_000, 4_480, 5_000, 5_980, 7_480, 10_000];

    private readonly Randomizer _random;
    private readonly DateTimeOffset _now;
    private readonly int _customerCount;
    private readonly HashSet<string> _references = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fingerprints = new(StringComparer.Ordinal);

    private readonly List<CustomerRow> _customers = [];
    private readonly List<Profile> _profiles = [];
    private readonly List<DeviceRow> _devices = [];
    private readonly List<EventRow> _events = [];
    private readonly List<TransactionRow> _transactions = [];
    private readonly List<IncidentRow> _incidents = [];
    private readonly IReadOnlyList<DemoMerchant> _merchants = DemoCatalog.Merchants;

    private sealed record Profile(string City, DeviceRow Main, DeviceRow? Second, string HomeIp, string MobileIp, double Activity, int[] Favourites, string Card);

    public DemoDataGenerator(int seed, int customers, DateTimeOffset now)
    {
        _random = new Faker { Random = new Randomizer(seed) }.Random;
        _customerCount = customers;
        _now = now;
    }

    public DemoData Generate()
    {
        CreateCustomers();

        // Roles: the demo victims first, then a seeded shuffle of everyone else.
        var others = _random.Shuffle(Enumerable.Range(DemoPeople.Count, _customerCount - DemoPeople.Count)).ToList();
        var stuffingCount = Math.Clamp(_customerCount / 4, 1, 250);
        var bankCount = Math.Clamp(_customerCount / 50, 1, 20);
        var disputerCount = Math.Clamp(_customerCount / 50, 1, 20);
        var taken = 0;
        List<int> Take(int demo, int count)
        {
            var list = new List<int> { demo };
            list.AddRange(others.Skip(taken).Take(Math.Max(0, count - 1)));
            taken += Math.Max(0, count - 1);
            return list;
        }
        var stuffed = Take(0, stuffingCount);
        var banked = Take(1, bankCount);
        var disputers = Take(2, disputerCount);
        var attemptedOnly = others.Skip(taken).Take(Math.Min(150, _customerCount / 6)).ToList();
        var disputerSet = disputers.ToHashSet();

        for (var c = 0; c < _customerCount; c++)
        {
            OrdinaryHistory(c, ownDeviceOnly: disputerSet.Contains(c));
        }
        CredentialStuffing(stuffed, attemptedOnly);
        BankLinkTakeovers(banked);
        OwnPaymentDisputes(disputers);
        // Last, so every draw above (and so the other incidents) stays as it was before this incident existed.
        MuleTransfers([.. others.Skip(taken + attemptedOnly.Count).Take(Math.Clamp(_customerCount / 100, 3, 8))]);

        // Rows in time order, so ids follow time as they would on the real platform.
        return new DemoData(
            _customers,
            _devices,
            _merchants,
            [.. _events.OrderBy(e => e.OccurredAt)],
            [.. _transactions.OrderBy(t => t.OccurredAt)],
            _incidents);
    }

    private void CreateCustomers()
    {
        var emails = new HashSet<string>(DemoPeople.Select(p => p.Email), StringComparer.Ordinal);
        var phones = new HashSet<string>(DemoPeople.Select(p => p.Phone), StringComparer.Ordinal);
        for (var c = 0; c < _customerCount; c++)
        {
            string fullName, email, phone;
            if (c < DemoPeople.Count)
            {
                (fullName, email, phone) = (DemoPeople[c].FullName, DemoPeople[c].Email, DemoPeople[c].Phone);
            }
            else
            {
                var given = _random.ArrayElement(DemoCatalog.GivenNames);
                var family = _random.ArrayElement(DemoCatalog.FamilyNames);
                fullName = $"{given} {family}";
                var domain = _random.Bool(0.8f) ? "example.jp" : "example.com";
                email = $"{given}.{family}@{domain}".ToLowerInvariant();
                while (!emails.Add(email))
                {
                    email = string.Create(CultureInfo.InvariantCulture, $"{given}.{family}{_random.Number(2, 99)}@{domain}").ToLowerInvariant();
                }
                do
                {
                    phone = PhoneNumber.Normalize(string.Create(CultureInfo.InvariantCulture, $"+81 90 {_random.Number(10_000_000, 99_999_999)}"));
                }
                while (!phones.Add(phone));
            }

            // The main phone was first seen 100-900 days ago; the account opened a little before.
            var mainSeen = _now - TimeSpan.FromDays(_random.Number(100, 900)) - TimeSpan.FromMinutes(_random.Number(0, 1439));
            var created = mainSeen - TimeSpan.FromDays(_random.Number(0, 20)) - TimeSpan.FromMinutes(_random.Number(0, 1439));
            var main = NewDevice(c, _random.ArrayElement(DemoCatalog.PhoneLabels), mainSeen);
            DeviceRow? second = null;
            if (_random.Bool(0.4f))
            {
                var secondSeen = _now - TimeSpan.FromDays(_random.Number(10, 400)) - TimeSpan.FromMinutes(_random.Number(0, 1439));
                var label = _random.ArrayElement(DemoCatalog.SecondDeviceLabels);
                var later = TimeSpan.FromDays(_random.Number(1, 60)) + TimeSpan.FromMinutes(_random.Number(0, 1439));
                second = NewDevice(c, label, secondSeen > mainSeen ? secondSeen : mainSeen + later);
            }
            var city = _random.ArrayElement(DemoCatalog.Cities);
            var local = Enumerable.Range(0, _merchants.Count)
                .Where(m => !_merchants[m].Attacker && (_merchants[m].City == city || _merchants[m].Category == DemoCatalog.Online))
                .ToList();
            var favourites = _random.Shuffle(local).Take(_random.Number(5, 9)).ToArray();
            var card = string.Create(CultureInfo.InvariantCulture, $"{_random.ArrayElement(DemoCatalog.Cards)} ****{_random.Number(1000, 9999)}");
            _customers.Add(new CustomerRow(fullName, email, phone, created));
            _profiles.Add(new Profile(city, main, second, HomeIp(), MobileIp(), 0.3 + (_random.Double() * 0.8), favourites, card));
        }
    }

    private void OrdinaryHistory(int c, bool ownDeviceOnly)
    {
        var p = _profiles[c];
        var today = (_now + Jst).Date;
        if (p.Second is { } second && second.FirstSeenAt > _now - TimeSpan.FromDays(HistoryDays))
        {
            _events.Add(new EventRow(c, AccountEventKinds.DeviceAdded, second.FirstSeenAt, second.Fingerprint, p.HomeIp, second.Label));
        }
        for (var d = HistoryDays; d >= 0; d--)
        {
            var day = today.AddDays(-d);
            var payments = (int)Math.Floor(p.Activity + _random.Double());
            for (var i = 0; i < payments; i++)
            {
                var at = At(day, 7, 22);
                var (device, ip) = PickDevice(p, at, ownDeviceOnly);
                var m = _random.Bool(0.8f) ? _random.ArrayElement(p.Favourites) : _random.Number(0, _merchants.Count - 1);
                if (_merchants[m].Attacker)
                {
                    m = p.Favourites[0];
                }
                AddTransaction(c, TransactionKinds.Payment, PaymentAmount(_merchants[m]), m, null, at, device, ip);
            }
            if (_random.Bool(0.15f))
            {
                var at = At(day, 6, 23);
                var (device, ip) = PickDevice(p, at, ownDeviceOnly);
                AddEvent(c, AccountEventKinds.SignIn, at, device, ip, null);
            }
            if (_random.Bool(0.06f))
            {
                var at = At(day, 8, 22);
                var (device, ip) = PickDevice(p, at, ownDeviceOnly);
                long amount = _random.ArrayElement(TopUpAmounts);
                AddTransaction(c, TransactionKinds.TopUp, amount, null, p.Card, at, device, ip);
            }
            if (_random.Bool(0.03f))
            {
                var at = At(day, 8, 23);
                var (device, ip) = PickDevice(p, at, ownDeviceOnly);
                AddTransaction(c, TransactionKinds.TransferOut, _random.Number(5, 100) * 100L, null, RandomPerson(), at, device, ip);
            }
            if (_random.Bool(0.03f))
            {
                var at = At(day, 8, 23);
                AddTransaction(c, TransactionKinds.TransferIn, _random.Number(5, 100) * 100L, null, RandomPerson(), at, null, null);
            }
        }
    }

    /// <summary>(a) 7pay-style credential stuffing two days ago: 3 devices and 4 IPs, ~6 hours, small fast cash-outs.</summary>
    private void CredentialStuffing(List<int> victims, List<int> attemptedOnly)
    {
        var devices = Enumerable.Range(0, 3).Select(_ => NewFingerprint()).ToArray();
        string[] ips =
        [
            string.Create(CultureInfo.InvariantCulture, $"203.0.113.{_random.Number(2, 127)}"),
            string.Create(CultureInfo.InvariantCulture, $"203.0.113.{_random.Number(128, 254)}"),
            string.Create(CultureInfo.InvariantCulture, $"198.51.100.{_random.Number(2, 127)}"),
            string.Create(CultureInfo.InvariantCulture, $"198.51.100.{_random.Number(128, 254)}"),
        ];
        var attacker = Enumerable.Range(0, _merchants.Count).Where(m => _merchants[m].Attacker).ToArray();
        var start = _now - TimeSpan.FromDays(2) - TimeSpan.FromHours(6);

        foreach (var c in victims)
        {
            var demo = c == 0;
            var signIn = start + TimeSpan.FromSeconds(_random.Number(600, (6 * 3600) - 1200));
            var device = _random.ArrayElement(devices);
            var ip = _random.ArrayElement(ips);
            var failures = demo ? 3 : _random.Bool(0.5f) ? _random.Number(1, 4) : 0;
            for (var f = failures; f >= 1; f--)
            {
                AddEvent(c, AccountEventKinds.SignInFailed, signIn - TimeSpan.FromSeconds((f * 40) + _random.Number(0, 30)), device, ip, "wrong password");
            }
            AddEvent(c, AccountEventKinds.SignIn, signIn, device, ip, null);

            var count = demo ? 2 : _random.Number(1, 3);
            var spent = new List<long>();
            for (var i = 0; i < count; i++)
            {
                spent.Add(_random.ArrayElement(StuffingAmounts));
            }
            if (spent.Sum() < 5_000)
            {
                spent.Add(5_000);
            }
            var at = signIn + TimeSpan.FromSeconds(_random.Number(60, 480));
            var references = new List<string>();
            foreach (var amount in spent)
            {
                references.Add(AddTransaction(c, TransactionKinds.Payment, amount, _random.ArrayElement(attacker), null, at, device, ip));
                at += TimeSpan.FromSeconds(_random.Number(60, 300));
            }
            _incidents.Add(new IncidentRow(DemoVictimKinds.CredentialStuffing, c, references));
        }

        // Most tries fail: the same devices and IPs against accounts whose passwords were not in the list.
        foreach (var c in attemptedOnly)
        {
            var at = start + TimeSpan.FromSeconds(_random.Number(0, (6 * 3600) - 1));
            var device = _random.ArrayElement(devices);
            var ip = _random.ArrayElement(ips);
            for (var f = _random.Number(1, 3); f >= 1; f--)
            {
                AddEvent(c, AccountEventKinds.SignInFailed, at + TimeSpan.FromSeconds(f * 35), device, ip, "wrong password");
            }
        }
    }

    /// <summary>(b) docomo 口座-style takeovers a day ago: new device, bank account linked, pulled from the bank, spent within minutes.</summary>
    private void BankLinkTakeovers(List<int> victims)
    {
        var devices = Enumerable.Range(0, Math.Max(1, victims.Count / 3)).Select(_ => NewFingerprint()).ToArray();
        var ips = Enumerable.Range(0, 3).Select(i => string.Create(CultureInfo.InvariantCulture, $"192.0.2.{(i * 80) + _random.Number(2, 79)}")).ToArray();
        var sinks = Enumerable.Range(0, _merchants.Count)
            .Where(m => _merchants[m].Category is DemoCatalog.Electronics or DemoCatalog.Online).ToArray();

        foreach (var c in victims)
        {
            var demo = c == 1;
            var signIn = _now - TimeSpan.FromDays(1) - TimeSpan.FromSeconds(_random.Number(0, 8 * 3600));
            var device = _random.ArrayElement(devices);
            var ip = _random.ArrayElement(ips);
            var bank = demo ? "Yucho Bank ****1234"
                : string.Create(CultureInfo.InvariantCulture, $"{_random.ArrayElement(DemoCatalog.Banks)} ****{_random.Number(1000, 9999)}");
            AddEvent(c, AccountEventKinds.SignIn, signIn, device, ip, null);
            var linked = signIn + TimeSpan.FromSeconds(_random.Number(60, 300));
            AddEvent(c, AccountEventKinds.BankAccountLinked, linked, device, ip, bank);

            // Top-up and spend stay under the automatic payout limit together (¥100,000).
            long topUp = demo ? 50_000 : _random.Number(30, 50) * 1_000L;
            var pulled = linked + TimeSpan.FromSeconds(_random.Number(120, 900));
            var references = new List<string>
            {
                AddTransaction(c, TransactionKinds.BankTopUp, topUp, null, bank, pulled, device, ip),
            };
            var spent = demo ? 46_800 : topUp * _random.Number(80, 95) / 100 / 100 * 100;
            var spentAt = pulled + TimeSpan.FromSeconds(_random.Number(60, 600));
            references.Add(demo || _random.Bool(0.6f)
                ? AddTransaction(c, TransactionKinds.Payment, spent, demo ? sinks[0] : _random.ArrayElement(sinks), null, spentAt, device, ip)
                : AddTransaction(c, TransactionKinds.TransferOut, spent, null, RandomPerson(), spentAt, device, ip));
            _incidents.Add(new IncidentRow(DemoVictimKinds.BankLinkTakeover, c, references));
        }
    }

    /// <summary>(c) An ordinary, larger payment three days ago from the customer's own long-used phone, which they will dispute.</summary>
    private void OwnPaymentDisputes(List<int> disputers)
    {
        var today = (_now + Jst).Date;
        foreach (var c in disputers)
        {
            var demo = c == 2;
            var p = _profiles[c];
            var at = At(today.AddDays(-3), 12, 20);
            var candidates = Enumerable.Range(0, _merchants.Count)
                .Where(m => !_merchants[m].Attacker
                            && (_merchants[m].Category is DemoCatalog.Electronics or DemoCatalog.Online || _merchants[m].Name.StartsWith("Gyukaku", StringComparison.Ordinal))
                            && (_merchants[m].City == p.City || _merchants[m].Category == DemoCatalog.Online))
                .ToArray();
            // A yakiniku dinner, an electronics shop or an online order: big enough to regret, ordinary enough to be theirs.
            var merchant = demo ? _merchants.ToList().FindIndex(m => m.Name == "Gyukaku Ueno Station") : _random.ArrayElement(candidates);
            long amount = demo ? 14_800 : _random.Number(1_200, 2_000) * 10L;
            var ip = _random.Bool(0.5f) ? p.HomeIp : p.MobileIp;
            var reference = AddTransaction(c, TransactionKinds.Payment, amount, merchant, null, at, p.Main.Fingerprint, ip);
            p.Main.Seen(at);
            _incidents.Add(new IncidentRow(DemoVictimKinds.DisputesOwnPayment, c, [reference]));
        }
    }

    /// <summary>
    /// (d) Yesterday evening: one attacker phone signs in to a few accounts, changes the contact e-mail, and sends
    /// ¥120,000-¥250,000 from each to the same mule account. Above the automatic payout limit, so people decide.
    /// </summary>
    private void MuleTransfers(List<int> victims)
    {
        var device = NewFingerprint();
        var mule = $"{_random.ArrayElement(DemoCatalog.GivenNames)} {_random.ArrayElement(DemoCatalog.FamilyNames)} (Rakuten Bank ****{_random.Number(1000, 9999)})";
        var start = _now - TimeSpan.FromHours(20);
        foreach (var c in victims)
        {
            var signIn = start + TimeSpan.FromSeconds(_random.Number(0, 3 * 3600));
            var ip = string.Create(CultureInfo.InvariantCulture, $"198.51.100.{_random.Number(2, 254)}");
            AddEvent(c, AccountEventKinds.SignIn, signIn, device, ip, null);
            AddEvent(c, AccountEventKinds.ContactChanged, signIn + TimeSpan.FromSeconds(_random.Number(30, 120)), device, ip, "e-mail changed");
            long amount = _random.Number(12, 25) * 10_000L;
            var sent = AddTransaction(c, TransactionKinds.TransferOut, amount, null, mule, signIn + TimeSpan.FromSeconds(_random.Number(180, 600)), device, ip);
            _incidents.Add(new IncidentRow(DemoVictimKinds.MuleTransfer, c, [sent]));
        }
    }

    private (string Device, string Ip) PickDevice(Profile p, DateTimeOffset at, bool ownDeviceOnly)
    {
        // Both draws happen every time, so the random sequence never depends on the clock.
        var wantsSecond = _random.Bool(0.2f);
        var onMobile = _random.Bool(0.45f);
        DeviceRow device = !ownDeviceOnly && wantsSecond && p.Second is { } second && second.FirstSeenAt <= at ? second : p.Main;
        device.Seen(at);
        var ip = device == p.Main && onMobile ? p.MobileIp : p.HomeIp;
        return (device.Fingerprint, ip);
    }

    private long PaymentAmount(DemoMerchant merchant)
    {
        long amount = _random.Number(merchant.MinAmount, merchant.MaxAmount);
        return merchant.Category == DemoCatalog.ConvenienceStore ? amount : Math.Max(10, amount / 10 * 10);
    }

    /// <summary>A time of day in Japan (hours from..to), as UTC.</summary>
    private DateTimeOffset At(DateTime localDay, int fromHour, int toHour)
    {
        var local = localDay.AddHours(_random.Number(fromHour, toHour)).AddMinutes(_random.Number(0, 59)).AddSeconds(_random.Number(0, 59));
        var utc = new DateTimeOffset(local, TimeSpan.Zero) - Jst;
        // Today's activity stops an hour before now; nothing is in the future. Drawn either way (see PickDevice).
        var earlier = TimeSpan.FromMinutes(_random.Number(0, 600));
        return utc < _now - TimeSpan.FromHours(1) ? utc : _now - TimeSpan.FromHours(1) - earlier;
    }

    private string AddTransaction(int c, string kind, long amount, int? merchant, string? counterparty, DateTimeOffset at, string? device, string? ip)
    {
        var reference = NewReference();
        _transactions.Add(new TransactionRow(reference, c, kind, amount, merchant, counterparty, at, device, ip));
        return reference;
    }

    private void AddEvent(int c, string kind, DateTimeOffset at, string? device, string? ip, string? detail) =>
        _events.Add(new EventRow(c, kind, at, device, ip, detail));

    private DeviceRow NewDevice(int c, string label, DateTimeOffset firstSeen)
    {
        var device = new DeviceRow(c, NewFingerprint(), label, firstSeen);
        _devices.Add(device);
        return device;
    }

    /// <summary>Readable, unique, not sequential: TX- and ten characters of Crockford-like base32.</summary>
    private string NewReference()
    {
        string reference;
        do
        {
            reference = "TX-" + _random.String2(10, ReferenceAlphabet);
        }
        while (!_references.Add(reference));
        return reference;
    }

    private string NewFingerprint()
    {
        string fingerprint;
        do
        {
            fingerprint = "fp-" + _random.String2(16, Hex);
        }
        while (!_fingerprints.Add(fingerprint));
        return fingerprint;
    }

    private string RandomPerson() => $"{_random.ArrayElement(DemoCatalog.GivenNames)} {_random.ArrayElement(DemoCatalog.FamilyNames)}";

    // Home broadband and mobile carrier addresses (Japanese ISP ranges); attackers use documentation ranges.
    private string HomeIp() => string.Create(CultureInfo.InvariantCulture,
        $"{_random.ArrayElement(HomeNetworks)}.{_random.Number(0, 255)}.{_random.Number(0, 255)}.{_random.Number(1, 254)}");

    private string MobileIp() => string.Create(CultureInfo.InvariantCulture,
        $"{_random.ArrayElement(MobileNetworks)}.{_random.Number(0, 255)}.{_random.Number(0, 255)}.{_random.Number(1, 254)}");
}
