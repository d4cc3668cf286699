namespace ClaimsOffice.Worker.Hosting;

public static class TimeZones
{
    /// <summary>The named zone, or UTC when this machine does not know it (a minimal container without tzdata).</summary>
    public static TimeZoneInfo Find(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
