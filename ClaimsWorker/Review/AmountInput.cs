using System.Globalization;
using ClaimsOffice.Worker.Notifications;

namespace ClaimsOffice.Worker.Review;

/// <summary>Reads an amount a person typed ("12,000", "12000", "19.99") into minor units, or says why it cannot.</summary>
public static class AmountInput
{
    public static bool TryParse(string? text, string currency, out long minorUnits, out string error)
    {
        minorUnits = 0;
        var trimmed = (text ?? "").Trim().Replace(",", "", StringComparison.Ordinal).TrimStart('¥', '$', '€', '£');
        if (trimmed.Length == 0)
        {
            error = "Enter an amount.";
            return false;
        }
        if (!decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var major))
        {
            error = $"\"{text}\" is not an amount.";
            return false;
        }
        if (major < 0)
        {
            error = "An amount cannot be negative.";
            return false;
        }
        if (major > 1_000_000_000_000m)
        {
            error = "That amount is too large.";
            return false;
        }
        var digits = MoneyFormat.MinorUnitDigits(currency);
        var scaled = major;
        for (var i = 0; i < digits; i++)
        {
            scaled *= 10;
        }
        if (scaled != decimal.Truncate(scaled))
        {
            error = $"{currency} amounts have {digits} decimal places.";
            return false;
        }
        minorUnits = (long)scaled;
        error = "";
        return true;
    }
}
