namespace ClaimsOffice.Worker.Evaluation;

/// <summary>The clock of an evaluation run: it shows whatever time the run last set, so each claim is filed and assessed "at" its filed_at.</summary>
public sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>Moves to <paramref name="at"/>; never backwards, so claims filed out of order still see time go forward.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _utcTicks);
            if (at.UtcTicks <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _utcTicks, at.UtcTicks, seen) != seen);
    }
}
