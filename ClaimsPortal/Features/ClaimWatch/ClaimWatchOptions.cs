namespace ClaimsOffice.Portal.Features.ClaimWatch;

/// <summary>How quickly open claim pages learn of changes; bound from <c>Portal:ClaimWatch</c>.</summary>
public sealed class ClaimWatchOptions
{
    public const string Section = "Portal:ClaimWatch";

    /// <summary>
    /// SQLite (embedded, one process): how often the watched claims are read, in one query, while anyone watches.
    /// A quarter second is well under what a person notices and costs one indexed read per tick.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// PostgreSQL: LISTEN/NOTIFY brings changes at once; this slower poll is the safety net for a notification
    /// lost while the listening connection was down.
    /// </summary>
    public TimeSpan SafetyPollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
