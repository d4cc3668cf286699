using System.Globalization;

namespace ClaimsOffice.Worker.Notifications;

/// <summary>Formats minor units for people: ¥12,345 or $12.34. No floating point touches the amount.</summary>
public static class MoneyText
{
    private static readonly Dictionary<string, (string Symbol, int Digits)> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["JPY"] = ("¥", 0),
        ["KRW"] = ("₩", 0),
        ["USD"] = ("$", 2),
        ["EUR"] = ("€", 2),
        ["GBP"] = ("£", 2),
    };

    public static string Format(long amount, string currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        var (symbol, digits) = Known.TryGetValue(currency, out var k) ? k : (currency.ToUpperInvariant() + " ", 2);
        var sign = amount < 0 ? "-" : "";
        var value = Math.Abs((decimal)amount);
        for (var i = 0; i < digits; i++)
        {
            value /= 10;
        }
        var format = digits == 0 ? "#,0" : "#,0." + new string('0', digits);
        return sign + symbol + value.ToString(format, CultureInfo.InvariantCulture);
    }
}
