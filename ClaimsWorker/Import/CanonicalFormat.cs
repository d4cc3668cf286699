using System.Globalization;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Transactions;

namespace ClaimsOffice.Worker.Import;

/// <summary>The canonical import format (docs/import-format.md): the columns of each file and the values they allow.</summary>
public static class CanonicalFormat
{
    public static readonly IReadOnlyList<string> CustomerColumns =
        ["customer_id", "display_name", "email", "phone", "created_at", "home_latitude", "home_longitude"];

    public static readonly IReadOnlyList<string> TransactionColumns =
        ["transaction_id", "customer_id", "occurred_at", "kind", "amount", "currency", "counterparty", "merchant_name", "merchant_category",
         "channel", "device_id", "ip_address", "latitude", "longitude", "balance_after"];

    public static readonly IReadOnlyList<string> EventColumns =
        ["event_id", "customer_id", "occurred_at", "kind", "device_id", "ip_address", "latitude", "longitude", "detail"];

    public static readonly IReadOnlyList<string> ClaimColumns =
        ["claim_id", "customer_id", "filed_at", "transaction_ids", "description", "truth"];

    public const string TruthGenuine = "genuine";
    public const string TruthFalse = "false";

    /// <summary>The format's transaction kinds; each is stored under the same name.</summary>
    public static readonly IReadOnlyList<string> TransactionKindNames =
    [
        TransactionKinds.Payment, TransactionKinds.TransferOut, TransactionKinds.TransferIn, TransactionKinds.CashOut,
        TransactionKinds.CashIn, TransactionKinds.TopUp, TransactionKinds.Withdrawal, TransactionKinds.Refund,
    ];

    private static readonly HashSet<string> TransactionKindSet = new(TransactionKindNames, StringComparer.Ordinal);

    /// <summary>The format's event kinds and the kind each is stored as (the names the platform feed already used).</summary>
    public static readonly IReadOnlyDictionary<string, string> EventKinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["login"] = AccountEventKinds.SignIn,
        ["login_failed"] = AccountEventKinds.SignInFailed,
        ["password_reset"] = AccountEventKinds.PasswordReset,
        ["device_added"] = AccountEventKinds.DeviceAdded,
        ["phone_changed"] = AccountEventKinds.ContactChanged,
        ["email_changed"] = AccountEventKinds.ContactChanged,
        ["bank_linked"] = AccountEventKinds.BankAccountLinked,
        ["bank_unlinked"] = AccountEventKinds.BankAccountUnlinked,
        ["two_factor_changed"] = AccountEventKinds.TwoFactorChanged,
    };

    public static bool IsTransactionKind(string kind) => TransactionKindSet.Contains(kind);

    /// <summary>
    /// A stored contact change keeps which contact changed in its detail: "phone" or "email", then ": " and the file's detail.
    /// Other kinds keep the file's detail as it is.
    /// </summary>
    public static string? StoredEventDetail(string fileKind, string? detail) => fileKind switch
    {
        "phone_changed" => detail is null ? "phone" : "phone: " + detail,
        "email_changed" => detail is null ? "email" : "email: " + detail,
        _ => detail,
    };

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mmzzz",
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm'Z'",
    ];

    /// <summary>ISO 8601 with an offset (<c>Z</c> or <c>+09:00</c>); a time without one is refused, not guessed.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    public static string FormatTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Major units with a decimal point ("12.34") to minor units (1234) for a currency with <paramref name="exponent"/>
    /// decimals. No exponent notation, thousands separators or more decimals than the currency has.
    /// </summary>
    public static bool TryParseMoney(string text, int exponent, bool allowNegative, out long minor, out string error)
    {
        minor = 0;
        error = "";
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            if (negative && !allowNegative)
            {
                error = "must be positive";
                return false;
            }
            s = s[1..];
        }
        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? [] : s[(dot + 1)..];
        if (whole.Length == 0 || (dot >= 0 && fraction.Length == 0) || !IsDigits(whole) || !IsDigits(fraction))
        {
            error = "is not a number like 12.34";
            return false;
        }
        if (fraction.Length > exponent)
        {
            error = exponent == 0 ? "has decimals, which this currency does not have" : $"has more than {exponent} decimals";
            return false;
        }
        if (whole.Length > 15)
        {
            error = "is too large";
            return false;
        }
        var value = long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        for (var i = 0; i < exponent; i++)
        {
            value = (value * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
        }
        minor = negative ? -value : value;
        return true;
    }

    /// <summary>Minor units back to the file's text, e.g. 1234 USD to "12.34".</summary>
    public static string FormatMoney(long minor, int exponent)
    {
        if (exponent == 0)
        {
            return minor.ToString(CultureInfo.InvariantCulture);
        }
        var sign = minor < 0 ? "-" : "";
        var abs = Math.Abs(minor);
        var scale = (long)Math.Pow(10, exponent);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs / scale}.{(abs % scale).ToString(new string('0', exponent), CultureInfo.InvariantCulture)}");
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>ISO 4217 minor-unit exponents: how many decimals a currency's amounts have.</summary>
public static class CurrencyExponents
{
    private static readonly Dictionary<string, int> Exponents = Build();

    public static bool TryGet(string currency, out int exponent) => Exponents.TryGetValue(currency, out exponent);

    private static Dictionary<string, int> Build()
    {
        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var code in "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".Split(' '))
        {
            table[code] = 0;
        }
        foreach (var code in ("AED AUD BDT BGN BRL CAD CHF CNY COP CZK DKK EGP EUR GBP GHS HKD HUF IDR ILS INR KES LKR MAD MXN MYR " +
                              "NGN NOK NZD PEN PHP PKR PLN QAR RON RSD RUB SAR SEK SGD THB TRY TWD TZS UAH USD ZAR ZMW").Split(' '))
        {
            table[code] = 2;
        }
        foreach (var code in "BHD IQD JOD KWD LYD OMR TND".Split(' '))
        {
            table[code] = 3;
        }
        return table;
    }
}
