namespace ClaimsOffice.Database.Customers;

/// <summary>Phone numbers are stored and compared as digits with a leading '+', so "090-1234-5678" and "+81 90 1234 5678" can both be typed.</summary>
public static class PhoneNumber
{
    public static string Normalize(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var digits = new string([.. raw.Where(char.IsAsciiDigit)]);
        if (digits.Length == 0)
        {
            return raw.Trim();
        }
        // A Japanese domestic number (0X0…) is the same line as +81 X0…
        if (!raw.TrimStart().StartsWith('+') && digits.StartsWith('0'))
        {
            digits = "81" + digits[1..];
        }
        return "+" + digits;
    }
}
