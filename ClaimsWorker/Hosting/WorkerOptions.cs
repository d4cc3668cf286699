namespace ClaimsOffice.Worker.Hosting;

/// <summary>The engine's settings, bound from the <c>Worker</c> configuration section.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Run the Quartz jobs in this process (embedded mode). False: only enqueue; separate workers run them.</summary>
    public bool InProcess { get; set; } = true;

    /// <summary>Claims above this amount (minor units) always go to a person.</summary>
    public long AutoPayoutLimit { get; set; } = 100_000;

    /// <summary>The zone people read times in (messages, pages). Stored times are always UTC.</summary>
    public string TimeZone { get; set; } = "Asia/Tokyo";

    /// <summary>A claim still Submitted this long after filing is enqueued again by the sweep.</summary>
    public TimeSpan SweepAfter { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan OutboxInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Quartz worker threads per process.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>Deliver SMS and e-mail into the development mailbox instead of a gateway. Never in production.</summary>
    public bool UseDevelopmentMailbox { get; set; }
}
