using ClaimsOffice.Database.Audit;
using ClaimsOffice.TestKit.Databases;

namespace ClaimsOffice.Database.Tests.Audit;

public sealed class AuditLogTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, 123, TimeSpan.Zero);

    private static async Task<(AuditLog Log, IReadOnlyList<AuditRecord> Entries)> ThreeEntriesAsync(TestDatabase db)
    {
        var log = new AuditLog(db.Connections);
        string[] actions = ["claim.submitted", "claim.assessed", "claim.paid"];
        for (var i = 0; i < actions.Length; i++)
        {
            await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
            await using var tx = await connection.BeginTransactionAsync();
            await log.AppendAsync(new AuditEntry("engine:test", actions[i], "claim", "CLM-2026-000001",
                $$"""{"step":{{i}},"amount":19600}""", Now.AddSeconds(i).AddTicks(7)), tx, CancellationToken.None);
            await tx.CommitAsync();
        }
        var entries = await log.ListForEntityAsync("claim", "CLM-2026-000001", CancellationToken.None);
        Assert.Equal(actions, entries.Select(e => e.Action));
        return (log, entries);
    }

    [DatabaseTheory]
    public async Task An_untouched_chain_verifies_and_links_each_entry_to_the_one_before(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);

        var (log, entries) = await ThreeEntriesAsync(db);

        Assert.Null(await log.FindFirstBrokenEntryAsync(CancellationToken.None));
        Assert.Equal(AuditLog.GenesisHash, entries[0].PrevHash);
        Assert.Equal(entries[0].Hash, entries[1].PrevHash);
        Assert.Equal(entries[1].Hash, entries[2].PrevHash);
        Assert.Equal(3, entries.Select(e => e.Hash).Distinct(StringComparer.Ordinal).Count());
    }

    [DatabaseTheory]
    public async Task Editing_an_entrys_data_is_detected_at_that_entry(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var (log, entries) = await ThreeEntriesAsync(db);

        await db.ExecuteAsync("UPDATE audit_log SET data = @data WHERE id = @id", new { data = """{"step":1,"amount":196000}""", id = entries[1].Id });

        Assert.Equal(entries[1].Id, await log.FindFirstBrokenEntryAsync(CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task Editing_an_entrys_actor_is_detected(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var (log, entries) = await ThreeEntriesAsync(db);

        await db.ExecuteAsync("UPDATE audit_log SET actor = 'staff:mallory' WHERE id = @id", new { id = entries[0].Id });

        Assert.Equal(entries[0].Id, await log.FindFirstBrokenEntryAsync(CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task Deleting_an_entry_is_detected(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var (log, entries) = await ThreeEntriesAsync(db);

        await db.ExecuteAsync("DELETE FROM audit_log WHERE id = @id", new { id = entries[1].Id });

        Assert.Equal(entries[2].Id, await log.FindFirstBrokenEntryAsync(CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task Concurrent_appends_keep_one_unbroken_chain(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var log = new AuditLog(db.Connections);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
            await using var tx = await connection.BeginTransactionAsync();
            await log.AppendAsync(new AuditEntry("engine:test", "claim.assessed", "claim", $"CLM-2026-{i:D6}", "{}", Now), tx, CancellationToken.None);
            await tx.CommitAsync();
        })));

        Assert.Equal(20, await db.CountAsync("audit_log"));
        Assert.Null(await log.FindFirstBrokenEntryAsync(CancellationToken.None));
    }
}
