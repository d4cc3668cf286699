namespace ClaimsOffice.Worker.Hosting;

/// <summary>The engine's settings, bound from the <c>Worker</c> configuration section.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Run a Hangfire server (and the sweep and outbox loop) in this process. False: only enqueue; separate workers run them.</summary>
    public bool InProcess { get; set; } = true;

    /// <summary>Claims above this amount (minor units) always go to a person.</summary>
    public long AutoPayoutLimit { get; set; } = 100_000;

    /// <summary>The zone people read times in (messages, pages). Stored times are always UTC.</summary>
    public string TimeZone { get; set; } = "Asia/Tokyo";

    /// <summary>
    /// A claim still Submitted this long after filing is enqueued again by the sweep. Long enough that a claim
    /// merely waiting in a backlog is not enqueued twice (harmless, the second run does nothing, but it costs).
    /// </summary>
    public TimeSpan SweepAfter { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan OutboxInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Hangfire workers per process: claims assessed at once.</summary>
    public int Concurrency { get; set; } = 6;

    /// <summary>How often an idle Hangfire worker asks PostgreSQL for a job enqueued by another process (see docs/benchmarks.md).</summary>
    public TimeSpan JobPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A job whose worker stopped extending its lease (killed) runs again on another worker after this long.</summary>
    public TimeSpan JobInvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Most connections Hangfire's own Npgsql pool opens in this process (PostgreSQL only). Unset: a Hangfire
    /// server gets one per worker (each idle worker holds one while it polls) plus 4 for the heartbeat, the
    /// jobs' lease renewals and the maintenance lock; a process that only enqueues gets 2.
    /// </summary>
    public int? JobStorageMaxPoolSize { get; set; }

    public int EffectiveJobStorageMaxPoolSize => JobStorageMaxPoolSize ?? (InProcess ? Concurrency + 4 : 2);

    /// <summary>Deliver SMS and e-mail into the development mailbox instead of a gateway. Never in production.</summary>
    public bool UseDevelopmentMailbox { get; set; }
}
