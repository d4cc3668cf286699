using ClaimsOffice.Database.Transactions;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>Small helpers the "against the customer's own pattern" rules share.</summary>
internal static class Pattern
{
    /// <summary>The disputed transactions that match; the rule fires when at least half do (one of one, two of three...).</summary>
    public static List<PaymentTransaction> MostOf(IReadOnlyList<PaymentTransaction> disputed, Func<PaymentTransaction, bool> unusual, out bool fires)
    {
        var matching = disputed.Where(unusual).ToList();
        fires = matching.Count > 0 && matching.Count * 2 >= disputed.Count;
        return matching;
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1) of sorted values.</summary>
    public static long Quantile(IReadOnlyList<long> sorted, double q) => sorted[(int)Math.Clamp(Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Hours apart on a 24-hour clock (23:00 and 01:00 are 2 h apart).</summary>
    public static int HourDistance(int a, int b)
    {
        var d = Math.Abs(a - b) % 24;
        return Math.Min(d, 24 - d);
    }

    /// <summary>The most of <paramref name="times"/> (sorted) that fall within one <paramref name="window"/>, and the first of them.</summary>
    public static (int Count, int Start) BusiestWindow(IReadOnlyList<DateTimeOffset> times, TimeSpan window)
    {
        var (best, bestStart, start) = (0, 0, 0);
        for (var end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] > window)
            {
                start++;
            }
            if (end - start + 1 > best)
            {
                (best, bestStart) = (end - start + 1, start);
            }
        }
        return (best, bestStart);
    }
}
