using System.Globalization;
using ClaimsOffice.Worker.Hosting;

namespace ClaimsOffice.Portal.Components.Ui;

/// <summary>
/// The time zone people read times in (Japan for this service); times are stored in UTC and
/// converted only when shown, so one injectable value decides it for every page.
/// </summary>
public sealed record DisplayTimeZone(TimeZoneInfo Zone)
{
    public const string DefaultFormat = "yyyy-MM-dd HH:mm";

    /// <summary>The zone for <paramref name="id"/>, found the way the engine finds it for its messages (<see cref="TimeZones.Find"/>).</summary>
    public static DisplayTimeZone FromId(string? id) => new(TimeZones.Find(id));

    /// <summary>Wall-clock text for <paramref name="value"/> in this zone with its UTC offset,
    /// e.g. "2026-11-21 21:03 +09:00".</summary>
    public string ToDisplayText(DateTimeOffset value, string? format = null)
    {
        var local = TimeZoneInfo.ConvertTime(value, Zone);
        var text = local.ToString(string.IsNullOrEmpty(format) ? DefaultFormat : format, CultureInfo.InvariantCulture);
        return text + " " + OffsetText(local.Offset);
    }

    private static string OffsetText(TimeSpan offset) =>
        offset == TimeSpan.Zero
            ? "UTC"
            : (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
