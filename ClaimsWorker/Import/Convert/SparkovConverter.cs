using System.Globalization;
using ClaimsOffice.Database.Transactions;

namespace ClaimsOffice.Worker.Import.Convert;

/// <summary>
/// Sparkov card data: one customer per card (<c>cc_num</c>), every row a card payment in US dollars at a merchant
/// with a category and the merchant's position. The label (<c>is_fraud</c>), the generator's <c>profile</c>, and the
/// <c>fraud_</c> prefix the generator puts on every merchant name are never written out.
/// </summary>
internal static class SparkovConverter
{
    public const string Currency = "USD";
    public const int Exponent = 2;

    /// <summary>A false claim disputes only payments this far from any fraud on the same card, so it cannot overlap the fraud window.</summary>
    private static readonly TimeSpan ClearOfFraud = TimeSpan.FromDays(30);

    public static ConversionSummary Convert(string input, string output, int seed)
    {
        var firstSeen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var victims = new Dictionary<string, List<DisputableTransaction>>(StringComparer.Ordinal);
        var legit = new Dictionary<string, List<DisputableTransaction>>(StringComparer.Ordinal);
        long rows = 0;

        using (var source = SourceFile.Open(input, "transactions.csv", "trans_num", "cc_num", "unix_time", "category", "amt", "is_fraud", "merchant", "merch_lat", "merch_long"))
        {
            var (id, card, unix, category, amt, fraud, merchant, lat, lon) = (source.Column("trans_num"), source.Column("cc_num"), source.Column("unix_time"),
                source.Column("category"), source.Column("amt"), source.Column("is_fraud"), source.Column("merchant"), source.Column("merch_lat"), source.Column("merch_long"));
            var csv = CsvWriter.Create(Path.Combine(output, "transactions.csv"));
            using (csv.Text)
            {
                csv.Row([.. CanonicalFormat.TransactionColumns]);
                while (source.Read() is { } r)
                {
                    rows++;
                    var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(r[unix], CultureInfo.InvariantCulture));
                    if (!CanonicalFormat.TryParseMoney(r[amt], Exponent, allowNegative: false, out var amount, out var why) || amount == 0)
                    {
                        throw new FormatException($"{source.Name} line {source.Line}: amt '{r[amt]}' {why}");
                    }
                    var customer = r[card];
                    // trans_num repeats across cards in this export (63,511 of them); with the card it is unique.
                    var transactionId = customer + "-" + r[id];
                    var merchantName = StripGeneratorPrefix(r[merchant]);
                    var cat = r[category];
                    csv.Row(transactionId, customer, CanonicalFormat.FormatTime(at), TransactionKinds.Payment, CanonicalFormat.FormatMoney(amount, Exponent), Currency,
                        null, merchantName, cat, Channel(cat), null, null, r[lat], r[lon], null);

                    if (!firstSeen.TryGetValue(customer, out var first) || at < first)
                    {
                        firstSeen[customer] = at;
                    }
                    var disputable = new DisputableTransaction(transactionId, at, amount, merchantName);
                    var list = r[fraud] == "1" ? victims : legit;
                    if (!list.TryGetValue(customer, out var own))
                    {
                        list[customer] = own = [];
                    }
                    own.Add(disputable);
                }
            }
        }

        long customers = 0;
        using (var source = SourceFile.Open(input, "customers.csv", "cc_num", "first", "last", "lat", "long"))
        {
            var (card, first, last, lat, lon) = (source.Column("cc_num"), source.Column("first"), source.Column("last"), source.Column("lat"), source.Column("long"));
            var csv = CsvWriter.Create(Path.Combine(output, "customers.csv"));
            using (csv.Text)
            {
                csv.Row([.. CanonicalFormat.CustomerColumns]);
                while (source.Read() is { } r)
                {
                    // The card data has no account-opening date: the first transaction seen stands in for it.
                    var since = firstSeen.TryGetValue(r[card], out var seen) ? seen : new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);
                    csv.Row(r[card], $"{r[first]} {r[last]}", null, null, CanonicalFormat.FormatTime(since), r[lat], r[lon]);
                    customers++;
                }
            }
        }

        var eligible = new Dictionary<string, List<DisputableTransaction>>(StringComparer.Ordinal);
        foreach (var (customer, own) in legit)
        {
            var fraud = victims.TryGetValue(customer, out var f) ? f : [];
            eligible[customer] = [.. own.Where(t => fraud.TrueForAll(x => (x.At - t.At).Duration() > ClearOfFraud))];
        }
        var claims = new ClaimDeriver(seed).Derive(victims, eligible);
        ClaimDeriver.Write(Path.Combine(output, "claims.csv"), claims, Exponent, Currency);
        return ConversionSummary.From("sparkov", customers, rows, rows, 0, "none", claims, 0, "every fraud transaction is in its card holder's claim", Exponent, Currency);
    }

    /// <summary>The generator prefixes every merchant, fraudulent or not, with "fraud_": an artefact, not a name.</summary>
    internal static string StripGeneratorPrefix(string merchant) =>
        merchant.StartsWith("fraud_", StringComparison.Ordinal) ? merchant["fraud_".Length..] : merchant;

    /// <summary>Sparkov's categories end in _net (card not present: online) or _pos (card present at a terminal); others say nothing.</summary>
    internal static string? Channel(string category) =>
        category.EndsWith("_net", StringComparison.Ordinal) ? "online"
        : category.EndsWith("_pos", StringComparison.Ordinal) ? "card_present"
        : null;
}
