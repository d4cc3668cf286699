using System.Globalization;

namespace ClaimsOffice.Portal.Components.Ui;

/// <summary>
/// Writes a duration (report to money, queue wait) the way people say it: "0.42 s", "3.1 s",
/// "2 min 5 s", "3 h 10 min", "2 d 4 h"; the two largest units are enough to compare at a glance.
/// </summary>
public static class ElapsedFormat
{
    public static string Format(TimeSpan elapsed)
    {
        // "0.00 s" reads like nothing happened; a payout inside 10 ms did happen.
        if (elapsed.Duration() < TimeSpan.FromMilliseconds(10))
        {
            return "under 0.01 s";
        }

        if (elapsed < TimeSpan.Zero)
        {
            // Clock skew between machines can make "finished" precede "started"; show it rather than hide it.
            return "-" + Format(elapsed.Duration());
        }

        // Truncate instead of rounding so a value never shows as the next unit's limit ("60.0 s").
        if (elapsed < TimeSpan.FromSeconds(1))
        {
            return Seconds(elapsed, decimals: 2) + " s";
        }

        if (elapsed < TimeSpan.FromMinutes(1))
        {
            return Seconds(elapsed, decimals: 1) + " s";
        }

        if (elapsed < TimeSpan.FromHours(1))
        {
            return Invariant($"{(int)elapsed.TotalMinutes} min {elapsed.Seconds} s");
        }

        if (elapsed < TimeSpan.FromDays(1))
        {
            return Invariant($"{(int)elapsed.TotalHours} h {elapsed.Minutes} min");
        }

        return Invariant($"{(long)elapsed.TotalDays} d {elapsed.Hours} h");
    }

    private static string Seconds(TimeSpan elapsed, int decimals)
    {
        var scale = decimals == 2 ? 100m : 10m;
        var seconds = Math.Truncate(elapsed.Ticks / (decimal)TimeSpan.TicksPerSecond * scale) / scale;
        return seconds.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
