namespace ClaimsOffice.Worker.Hosting;

public static class TimeZones
{
    /// <summary>
    /// The named zone, or UTC when the name is blank or this machine does not know it (a typo in configuration,
    /// a minimal container without tzdata): showing times in UTC beats not showing claims at all.
    /// </summary>
    public static TimeZoneInfo Find(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : TimeZoneInfo.Utc;
}
