using System.Globalization;

namespace ClaimsOffice.Worker.Import.Convert;

/// <summary>A transaction a derived claim can dispute: its canonical id, time, amount (minor units) and what the customer would call it.</summary>
internal sealed record DisputableTransaction(string Id, DateTimeOffset At, long Amount, string Label);

internal sealed record DerivedClaim(string CustomerId, DateTimeOffset FiledAt, IReadOnlyList<DisputableTransaction> Transactions, bool Genuine);

/// <summary>
/// Turns labels into claims, deterministically for a seed (docs/import-format.md, "Derived claims"):
/// <list type="bullet">
/// <item>genuine: one claim per victim, disputing every fraudulent outgoing transaction of theirs, filed 30 minutes
/// to 12 hours after the last of them;</item>
/// <item>false: as many claims as genuine ones, from customers picked at random; each disputes one of the
/// customer's own legitimate outgoing transactions (picked among their larger ones: people dispute what hurts)
/// plus up to two more of theirs from the following 24 hours, filed with the same delay as genuine claims.</item>
/// </list>
/// Genuine and false claims share the delay, the description and the id scheme, so none of them gives the truth away.
/// </summary>
internal sealed class ClaimDeriver(int seed)
{
    private static readonly TimeSpan MinDelay = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromHours(12);
    private static readonly TimeSpan Following = TimeSpan.FromHours(24);

    private readonly Random _random = new(seed);

    /// <param name="victims">Each victim's fraudulent outgoing transactions.</param>
    /// <param name="disputable">Per customer, the legitimate outgoing transactions a false claim may dispute (already filtered).</param>
    public IReadOnlyList<DerivedClaim> Derive(IReadOnlyDictionary<string, List<DisputableTransaction>> victims, IReadOnlyDictionary<string, List<DisputableTransaction>> disputable)
    {
        ArgumentNullException.ThrowIfNull(victims);
        ArgumentNullException.ThrowIfNull(disputable);
        var claims = new List<DerivedClaim>();
        foreach (var (customer, fraud) in victims.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var ordered = fraud.OrderBy(t => t.At).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
            claims.Add(new DerivedClaim(customer, ordered[^1].At + Delay(), ordered, Genuine: true));
        }

        var wanted = claims.Count;
        var customers = disputable.Where(d => d.Value.Count > 0).Select(d => d.Key).Order(StringComparer.Ordinal).ToArray();
        _random.Shuffle(customers);
        var used = new HashSet<string>(StringComparer.Ordinal);
        // When there are fewer customers than genuine claims, a customer may dispute a second, different transaction.
        for (var i = 0; i < wanted && customers.Length > 0; i++)
        {
            var customer = customers[i % customers.Length];
            var own = disputable[customer].Where(t => !used.Contains(t.Id)).OrderBy(t => t.At).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
            if (own.Count == 0)
            {
                continue;
            }
            var median = own.Select(t => t.Amount).Order().ElementAt(own.Count / 2);
            var larger = own.Where(t => t.Amount >= median).ToList();
            var anchor = larger[_random.Next(larger.Count)];
            var extra = _random.Next(0, 3);
            var disputed = new List<DisputableTransaction> { anchor };
            disputed.AddRange(own.Where(t => t.At > anchor.At && t.At - anchor.At <= Following).Take(extra));
            foreach (var t in disputed)
            {
                used.Add(t.Id);
            }
            claims.Add(new DerivedClaim(customer, disputed[^1].At + Delay(), disputed, Genuine: false));
        }
        return [.. claims.OrderBy(c => c.FiledAt).ThenBy(c => c.CustomerId, StringComparer.Ordinal)];
    }

    private TimeSpan Delay() => MinDelay + TimeSpan.FromSeconds(Math.Round(_random.NextDouble() * (MaxDelay - MinDelay).TotalSeconds));

    /// <summary>Writes claims.csv: neutral ids in filing order, the same wording for every claim, truth only in its column.</summary>
    public static void Write(string path, IReadOnlyList<DerivedClaim> claims, int exponent, string currency)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var csv = CsvWriter.Create(path);
        using (csv.Text)
        {
            csv.Row([.. CanonicalFormat.ClaimColumns]);
            for (var i = 0; i < claims.Count; i++)
            {
                var c = claims[i];
                var total = CanonicalFormat.FormatMoney(c.Transactions.Sum(t => t.Amount), exponent);
                var labels = string.Join(", ", c.Transactions.Select(t => t.Label).Distinct(StringComparer.Ordinal).Take(3));
                var description = c.Transactions.Count == 1
                    ? $"I do not recognise this transaction ({labels}, {total} {currency}). I did not make it."
                    : $"I do not recognise these {c.Transactions.Count} transactions ({labels}; {total} {currency} in all). I did not make them.";
                csv.Row(
                    "claim-" + (i + 1).ToString("D6", CultureInfo.InvariantCulture),
                    c.CustomerId,
                    CanonicalFormat.FormatTime(c.FiledAt),
                    string.Join(';', c.Transactions.Select(t => t.Id)),
                    description,
                    c.Genuine ? CanonicalFormat.TruthGenuine : CanonicalFormat.TruthFalse);
            }
        }
    }
}

/// <summary>What a conversion wrote, for the console and the docs.</summary>
internal sealed record ConversionSummary(
    string Dataset, long Customers, long Transactions, long SourceRows, long DroppedRows, string DroppedWhy,
    int GenuineClaims, int GenuineTransactions, long GenuineMoney, int FalseClaims, int FalseTransactions, long FalseMoney,
    int UnclaimedFraudTransactions, string UnclaimedWhy, int Exponent, string Currency)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"""
        {Dataset}: {SourceRows:N0} source rows -> {Transactions:N0} transactions ({DroppedRows:N0} dropped: {DroppedWhy}), {Customers:N0} customers
          genuine claims: {GenuineClaims:N0} disputing {GenuineTransactions:N0} transactions, {CanonicalFormat.FormatMoney(GenuineMoney, Exponent)} {Currency}
          false claims:   {FalseClaims:N0} disputing {FalseTransactions:N0} transactions, {CanonicalFormat.FormatMoney(FalseMoney, Exponent)} {Currency}
          fraud transactions in no claim: {UnclaimedFraudTransactions:N0} ({UnclaimedWhy})
        """);

    public static ConversionSummary From(
        string dataset, long customers, long transactions, long sourceRows, long dropped, string droppedWhy,
        IReadOnlyList<DerivedClaim> claims, int unclaimed, string unclaimedWhy, int exponent, string currency)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var genuine = claims.Where(c => c.Genuine).ToList();
        var falseClaims = claims.Where(c => !c.Genuine).ToList();
        return new ConversionSummary(dataset, customers, transactions, sourceRows, dropped, droppedWhy,
            genuine.Count, genuine.Sum(c => c.Transactions.Count), genuine.Sum(c => c.Transactions.Sum(t => t.Amount)),
            falseClaims.Count, falseClaims.Sum(c => c.Transactions.Count), falseClaims.Sum(c => c.Transactions.Sum(t => t.Amount)),
            unclaimed, unclaimedWhy, exponent, currency);
    }
}
