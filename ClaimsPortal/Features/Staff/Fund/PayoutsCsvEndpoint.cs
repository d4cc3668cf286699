using System.Globalization;
using System.Text;
using ClaimsOffice.Database.Reports;

namespace ClaimsOffice.Portal.Features.Staff.Fund;

/// <summary>
/// <c>GET /staff/fund/payouts.csv?from=yyyy-MM-dd&amp;to=yyyy-MM-dd</c>: every payout made on those UTC days (both
/// inclusive), for Finance. A bad date or a reversed range answers 400 with what to fix.
/// </summary>
public static class PayoutsCsvEndpoint
{
    public const string Path = "/staff/fund/payouts.csv";

    /// <summary>A year of payouts is far below this; the bound keeps one request from reading the whole table.</summary>
    public const int MaxRows = 100_000;

    public const int MaxDays = 366;

    public static IEndpointRouteBuilder MapFundEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ExportAsync).RequireAuthorization(StaffPolicies.Finance);
        return app;
    }

    private static async Task<IResult> ExportAsync(string? from, string? to, StaffReportRepository reports, CancellationToken ct)
    {
        if (!TryParseDay(from, out var fromDay) || !TryParseDay(to, out var toDay))
        {
            return Results.BadRequest("Give both dates as yyyy-MM-dd, for example ?from=2026-11-01&to=2026-11-30.");
        }
        if (fromDay > toDay)
        {
            return Results.BadRequest("The 'from' date is after the 'to' date.");
        }
        if (toDay.DayNumber - fromDay.DayNumber >= MaxDays)
        {
            return Results.BadRequest($"Export at most {MaxDays} days at a time.");
        }
        var start = new DateTimeOffset(fromDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(toDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var rows = await reports.PayoutsBetweenAsync(start, end, MaxRows, ct);
        var fileName = $"payouts-{fromDay:yyyy-MM-dd}-to-{toDay:yyyy-MM-dd}.csv";
        return Results.File(Encoding.UTF8.GetBytes(ToCsv(rows)), "text/csv; charset=utf-8", fileName);
    }

    private static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    /// <summary>RFC 4180: amounts in the currency's major unit with a dot, times in UTC ISO 8601, text quoted when it needs to be.</summary>
    public static string ToCsv(IEnumerable<PayoutRow> rows)
    {
        var csv = new StringBuilder("payout_id,paid_at_utc,claim_number,customer_id,customer_name,customer_email,amount,currency\r\n");
        foreach (var row in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{row.PayoutId},{row.PaidAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{Field(row.ClaimNumber)},{row.CustomerId},")
               .Append(CultureInfo.InvariantCulture, $"{Field(row.CustomerName)},{Field(row.CustomerEmail)},{MajorUnits(row.Amount, row.Currency)},{Field(row.Currency)}\r\n");
        }
        return csv.ToString();
    }

    /// <summary>The amount in the currency's major unit with its own number of decimals (12.50 USD, 1250 JPY).</summary>
    private static string MajorUnits(long minor, string currency)
    {
        var digits = ClaimsOffice.Worker.Notifications.MoneyFormat.MinorUnitDigits(currency);
        var value = minor / (decimal)Math.Pow(10, digits);
        return value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>Quotes a field with a comma, quote or line break; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula.</summary>
    private static string Field(string value)
    {
        var safe = value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
        return safe.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
