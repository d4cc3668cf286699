using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Review;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Databases;
using Dapper;

namespace ClaimsOffice.Worker.Tests.Review;

/// <summary>A test database with the engine, a clock and helpers to read what a decision left behind.</summary>
internal sealed class ReviewWorld : IAsyncDisposable
{
    private ReviewWorld(TestDatabase db, FixedClock clock, EngineHost host)
    {
        Db = db;
        Clock = clock;
        Host = host;
    }

    public TestDatabase Db { get; }
    public FixedClock Clock { get; }
    public EngineHost Host { get; }

    public static async Task<ReviewWorld> CreateAsync(DatabaseKind kind)
    {
        var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        return new ReviewWorld(db, clock, EngineHost.Create(db, clock));
    }

    public T Get<T>()
        where T : notnull => Host.GetRequiredService<T>();

    public async Task<ReviewClaim> ClaimAsync(long id) => (await Get<ClaimReviewRepository>().GetAsync(id, CancellationToken.None))!;

    public async Task<IReadOnlyList<string>> AuditActionsAsync(Claim claim) =>
        [.. (await Get<AuditLog>().ListForEntityAsync("claim", claim.ClaimNumber, CancellationToken.None)).Select(e => e.Action)];

    public async Task<long> CountAsync(string table)
    {
        await using var c = await Db.Connections.OpenAsync(CancellationToken.None);
        return await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    /// <summary>Row counts of everything a decision writes: equal before and after means nothing changed.</summary>
    public async Task<string> FootprintAsync()
    {
        var parts = new List<string>();
        foreach (var table in new[] { "claim_decisions", "claim_decision_lines", "payouts", "payout_approvals", "ledger_postings", "audit_log", "outbox_messages", "claim_questions" })
        {
            parts.Add($"{table}={await CountAsync(table)}");
        }
        return string.Join(" ", parts);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Db.DisposeAsync();
    }
}
