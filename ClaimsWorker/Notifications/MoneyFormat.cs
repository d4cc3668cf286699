using System.Collections.Concurrent;
using System.Globalization;

namespace ClaimsOffice.Worker.Notifications;

/// <summary>
/// Turns an amount in minor units (yen, cents) into the text a person expects, so every page and message
/// shows money the same way and the rule is testable without rendering.
/// </summary>
public static class MoneyFormat
{
    // Symbols only for currencies our customers see; any other code is written out ("CHF 12.50"),
    // which is never ambiguous.
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["JPY"] = "¥",
        ["KRW"] = "₩",
        ["USD"] = "$",
        ["EUR"] = "€",
        ["GBP"] = "£",
    };

    // ISO 4217 minor-unit digits for the common currencies, fixed here so they never depend on
    // the machine's culture data.
    private static readonly Dictionary<string, int> KnownDigits = new(StringComparer.Ordinal)
    {
        ["JPY"] = 0,
        ["KRW"] = 0,
        ["USD"] = 2,
        ["EUR"] = 2,
        ["GBP"] = 2,
    };

    private static readonly ConcurrentDictionary<string, int> DigitsFromCultures = new(StringComparer.Ordinal);

    /// <summary>Formats <paramref name="amount"/> minor units of <paramref name="currency"/>, e.g. 1234 USD → "$12.34".</summary>
    public static string Format(long amount, string currency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        var code = currency.Trim().ToUpperInvariant();
        var digits = MinorUnitDigits(code);

        // decimal keeps every long exact; no floating point anywhere near money.
        var major = Math.Abs((decimal)amount) / Pow10(digits);
        var number = major.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var sign = amount < 0 ? "-" : "";

        return Symbols.TryGetValue(code, out var symbol)
            ? sign + symbol + number
            : sign + code + " " + number;
    }

    /// <summary>How many digits follow the decimal point for <paramref name="currencyCode"/> (2 when unknown).</summary>
    public static int MinorUnitDigits(string currencyCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currencyCode);
        var code = currencyCode.Trim().ToUpperInvariant();
        return KnownDigits.TryGetValue(code, out var known)
            ? known
            : DigitsFromCultures.GetOrAdd(code, LookUpDigitsInCultures);
    }

    // Rare currencies: ask the culture data of a country that uses it; most currencies have 2 digits.
    private static int LookUpDigitsInCultures(string code)
    {
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            if (culture.IsNeutralCulture || culture.Name.Length == 0)
            {
                continue;
            }

            RegionInfo region;
            try
            {
                region = new RegionInfo(culture.Name);
            }
            catch (ArgumentException)
            {
                continue;
            }

            if (string.Equals(region.ISOCurrencySymbol, code, StringComparison.Ordinal))
            {
                return culture.NumberFormat.CurrencyDecimalDigits;
            }
        }

        return 2;
    }

    private static decimal Pow10(int digits)
    {
        var result = 1m;
        for (var i = 0; i < digits; i++)
        {
            result *= 10m;
        }

        return result;
    }
}
