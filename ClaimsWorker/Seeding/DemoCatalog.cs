using ClaimsOffice.Database.Transactions;

namespace ClaimsOffice.Worker.Seeding;

/// <summary>A merchant of the demo data, with the range of a typical payment there (yen).</summary>
internal sealed record DemoMerchant(string Name, string Category, string City, int MinAmount, int MaxAmount, bool Attacker = false);

/// <summary>The fixed vocabulary of the demo data: romanized Japanese names, merchants, devices, banks.</summary>
internal static class DemoCatalog
{
    public const string ConvenienceStore = "convenience_store";
    public const string Supermarket = "supermarket";
    public const string Restaurant = "restaurant";
    public const string Transit = "transit";
    public const string Online = "online";
    public const string Electronics = "electronics";
    public const string Drugstore = "drugstore";

    /// <summary>Ordinary payments never reach this, so a disputer's incident payment is their largest.</summary>
    public const int OrdinaryPaymentCeiling = 11_990;

    public static readonly string[] FamilyNames =
    [
        "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato",
        "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue", "Kimura", "Hayashi", "Shimizu", "Yamazaki",
        "Mori", "Abe", "Ikeda", "Hashimoto", "Yamashita", "Ishikawa", "Nakajima", "Maeda", "Fujita", "Ogawa",
        "Goto", "Okada", "Hasegawa", "Murakami", "Kondo", "Ishii", "Saito", "Sakamoto", "Endo", "Aoki",
    ];

    public static readonly string[] GivenNames =
    [
        "Haruto", "Yui", "Ren", "Sota", "Minato", "Yuto", "Riku", "Hinata", "Yuma", "Sora",
        "Aoi", "Himari", "Mei", "Rin", "Sakura", "Yuna", "Hana", "Mio", "Akari", "Koharu",
        "Takumi", "Kaito", "Daiki", "Shota", "Kenta", "Naoki", "Hiroshi", "Takeshi", "Kazuki", "Ryota",
        "Yuki", "Emi", "Ayaka", "Misaki", "Nanami", "Haruka", "Kana", "Mai", "Saki", "Yoko",
        "Keiko", "Tomoko", "Naomi", "Kenji", "Makoto", "Satoshi", "Akira", "Taro", "Jiro", "Ichiro",
    ];

    /// <summary>Home cities, Tokyo most often.</summary>
    public static readonly string[] Cities =
    [
        "Tokyo", "Tokyo", "Tokyo", "Tokyo", "Tokyo", "Tokyo", "Tokyo", "Tokyo", "Tokyo",
        "Osaka", "Osaka", "Osaka", "Osaka", "Yokohama", "Yokohama", "Nagoya", "Nagoya", "Fukuoka", "Sapporo", "Kyoto",
    ];

    public static readonly string[] PhoneLabels =
        ["iPhone 15", "iPhone 14", "iPhone 13", "iPhone SE", "Pixel 8", "Galaxy S24", "AQUOS sense8", "Xperia 10 V", "arrows We", "OPPO Reno9 A"];

    public static readonly string[] SecondDeviceLabels = ["iPad", "iPad mini", "Galaxy Tab S9", "iPhone 16", "Pixel 9"];

    public static readonly string[] Banks =
        ["Yucho Bank", "MUFG Bank", "Mizuho Bank", "SMBC", "Rakuten Bank", "Resona Bank", "Chiba Bank", "Shizuoka Bank"];

    public static readonly string[] Cards = ["Visa", "Mastercard", "JCB"];

    /// <summary>About sixty merchants: three everyday shops per neighbourhood, plus transit, online, electronics and the attackers' favourites.</summary>
    public static IReadOnlyList<DemoMerchant> Merchants { get; } = BuildMerchants();

    private static List<DemoMerchant> BuildMerchants()
    {
        (string City, string Area)[] areas =
        [
            ("Tokyo", "Shinjuku 3-chome"), ("Tokyo", "Shibuya Dogenzaka"), ("Tokyo", "Ikebukuro East"), ("Tokyo", "Ueno Station"),
            ("Tokyo", "Ginza 4-chome"), ("Tokyo", "Nakano Sunmall"), ("Tokyo", "Kichijoji North"), ("Osaka", "Umeda"),
            ("Osaka", "Namba"), ("Osaka", "Tennoji"), ("Yokohama", "Minatomirai"), ("Nagoya", "Sakae"),
            ("Fukuoka", "Tenjin"), ("Sapporo", "Susukino"), ("Kyoto", "Shijo Karasuma"),
        ];
        string[] convenience = ["FamilyMart", "Lawson", "7-Eleven"];
        string[] supermarkets = ["Life", "Aeon", "OK Store"];
        string[] drugstores = ["Matsumoto Kiyoshi", "Welcia"];
        string[] restaurants = ["Yoshinoya", "Saizeriya", "Ichiran", "Gyukaku", "Ootoya"];
        var merchants = new List<DemoMerchant>();
        for (var i = 0; i < areas.Length; i++)
        {
            var (city, area) = areas[i];
            merchants.Add(new($"{convenience[i % convenience.Length]} {area}", ConvenienceStore, city, 150, 1_500));
            merchants.Add(i % 2 == 0
                ? new($"{supermarkets[i / 2 % supermarkets.Length]} {area}", Supermarket, city, 800, 6_000)
                : new($"{drugstores[i / 2 % drugstores.Length]} {area}", Drugstore, city, 300, 3_500));
            merchants.Add(new($"{restaurants[i % restaurants.Length]} {area}", Restaurant, city, 700, 5_000));
        }
        merchants.AddRange(
        [
            new("JR East Shinjuku Station", Transit, "Tokyo", 170, 1_200),
            new("Tokyo Metro Ginza Line", Transit, "Tokyo", 170, 400),
            new("Osaka Metro Midosuji Line", Transit, "Osaka", 190, 400),
            new("Nagoya Meitetsu Sakae", Transit, "Nagoya", 170, 600),
            new("Rakuten Ichiba", Online, "Tokyo", 500, 8_000),
            new("Mercari", Online, "Tokyo", 300, 6_000),
            new("ZOZOTOWN", Online, "Tokyo", 1_500, 8_000),
            new("Yodobashi Camera Akiba", Electronics, "Tokyo", 2_000, OrdinaryPaymentCeiling),
            new("Bic Camera Namba", Electronics, "Osaka", 2_000, OrdinaryPaymentCeiling),
            new("Bic Camera Yurakucho", Electronics, "Tokyo", 2_000, OrdinaryPaymentCeiling),
            new("Edion Sakae", Electronics, "Nagoya", 2_000, OrdinaryPaymentCeiling),
            // Where the credential stuffers cash out: gift cards and e-cigarettes, easy to resell.
            new("Lawson Kabukicho 1-chome (gift cards)", ConvenienceStore, "Tokyo", 3_000, 10_000, Attacker: true),
            new("FamilyMart Okubo Station (gift cards)", ConvenienceStore, "Tokyo", 3_000, 10_000, Attacker: true),
            new("7-Eleven Kamata West (e-cigarettes)", ConvenienceStore, "Tokyo", 3_000, 10_000, Attacker: true),
            new("Lawson Nishinari (e-cigarettes)", ConvenienceStore, "Osaka", 3_000, 10_000, Attacker: true),
            new("FamilyMart Nipponbashi (gift cards)", ConvenienceStore, "Osaka", 3_000, 10_000, Attacker: true),
            new("7-Eleven Akabane (gift cards)", ConvenienceStore, "Tokyo", 3_000, 10_000, Attacker: true),
        ]);
        return merchants;
    }

    /// <summary>The kinds a victim may dispute, as SQL literals (constants, never user input).</summary>
    public static string OutgoingKindsSql { get; } =
        string.Join(", ", TransactionKinds.Outgoing.Order(StringComparer.Ordinal).Select(k => $"'{k}'"));
}
