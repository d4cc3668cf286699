namespace ClaimsOffice.TestKit;

/// <summary>A clock that stands still until a test moves it: time-dependent behaviour without sleeps.</summary>
public sealed class FixedClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start.ToUniversalTime();

    /// <summary>A fixed, whole-second instant (2026-11-21 09:30:00 UTC).</summary>
    public static DateTimeOffset DefaultStart { get; } = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    public FixedClock()
        : this(DefaultStart)
    {
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_gate)
        {
            _now += by;
        }
    }
}
