using System.Data.Common;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Notifications;
using Dapper;
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
        await log.SealPendingAsync(CancellationToken.None);
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

        await log.SealPendingAsync(CancellationToken.None);
        Assert.Equal(20, await db.CountAsync("audit_log", "chain_seq IS NOT NULL"));
        Assert.Null(await log.FindFirstBrokenEntryAsync(CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task Sealing_in_several_batches_chains_every_entry_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var log = new AuditLog(db.Connections);
        var total = AuditLog.SealBatchSize + 5;
        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        await using (var tx = await connection.BeginTransactionAsync())
        {
            var entries = Enumerable.Range(0, total)
                .Select(i => new AuditEntry("engine:test", "claim.assessed", "claim", $"CLM-2026-{i:D6}", "{}", Now.AddMilliseconds(i)))
                .ToList();
            foreach (var chunk in entries.Chunk(500))
            {
                await log.AppendAsync(chunk, tx, CancellationToken.None);
            }
            await tx.CommitAsync();
        }

        var sealedNow = await log.SealPendingAsync(CancellationToken.None);

        Assert.Equal(kind == DatabaseKind.Postgres ? total : 0, sealedNow);
        Assert.Equal(0, (await log.GetBacklogAsync(CancellationToken.None)).Entries);
        Assert.Equal(total, await db.CountAsync("audit_log", "chain_seq IS NOT NULL"));
        Assert.Equal(0, await log.SealPendingAsync(CancellationToken.None));
        Assert.Null(await log.FindFirstBrokenEntryAsync(CancellationToken.None));
    }

    [PostgresFact]
    public async Task On_PostgreSQL_a_writer_never_waits_for_another_writers_commit()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var log = new AuditLog(db.Connections);
        await using var slow = await db.Connections.OpenAsync(CancellationToken.None);
        await using var slowTx = await slow.BeginTransactionAsync();
        await log.AppendAsync(new AuditEntry("engine:test", "claim.submitted", "claim", "CLM-2026-000001", "{}", Now), slowTx, CancellationToken.None);

        // Before, the second writer queued on the chain lock until the first committed; here it must not.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (var fast = await db.Connections.OpenAsync(wait.Token))
        await using (var fastTx = await fast.BeginTransactionAsync(wait.Token))
        {
            await log.AppendAsync(new AuditEntry("engine:test", "claim.submitted", "claim", "CLM-2026-000002", "{}", Now), fastTx, wait.Token);
            await fastTx.CommitAsync(wait.Token);
        }
        Assert.Equal(1, await log.SealPendingAsync(CancellationToken.None));

        // The first entry commits after the second was sealed: it goes after it in the chain, not lost.
        await slowTx.CommitAsync();
        Assert.Equal(1, await log.SealPendingAsync(CancellationToken.None));
        var first = Assert.Single(await log.ListForEntityAsync("claim", "CLM-2026-000001", CancellationToken.None));
        var second = Assert.Single(await log.ListForEntityAsync("claim", "CLM-2026-000002", CancellationToken.None));
        Assert.True(first.Id < second.Id);
        Assert.Equal(second.Hash, first.PrevHash);
        Assert.Null(await log.FindFirstBrokenEntryAsync(CancellationToken.None));
    }

    [PostgresFact]
    public async Task On_PostgreSQL_an_entry_is_outside_the_chain_until_sealed_and_a_rolled_back_one_never_enters()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var log = new AuditLog(db.Connections);
        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        {
            await using (var rolledBack = await connection.BeginTransactionAsync())
            {
                await log.AppendAsync(new AuditEntry("engine:test", "claim.paid", "claim", "CLM-2026-000009", "{}", Now), rolledBack, CancellationToken.None);
                await rolledBack.RollbackAsync();
            }
            await using var tx = await connection.BeginTransactionAsync();
            await log.AppendAsync(new AuditEntry("engine:test", "claim.submitted", "claim", "CLM-2026-000001", "{}", Now), tx, CancellationToken.None);
            await tx.CommitAsync();
        }

        var pending = Assert.Single(await log.ListForEntityAsync("claim", "CLM-2026-000001", CancellationToken.None));
        Assert.Null(pending.Hash);
        Assert.Equal(1, (await log.GetBacklogAsync(CancellationToken.None)).Entries);

        Assert.Equal(1, await log.SealPendingAsync(CancellationToken.None));
        var entry = Assert.Single(await log.ListForEntityAsync("claim", "CLM-2026-000001", CancellationToken.None));
        Assert.Equal(AuditLog.GenesisHash, entry.PrevHash);
        Assert.Empty(await log.ListForEntityAsync("claim", "CLM-2026-000009", CancellationToken.None));
        Assert.Null(await log.FindFirstBrokenEntryAsync(CancellationToken.None));
    }

    [PostgresFact]
    public async Task On_PostgreSQL_unsealing_an_entry_to_edit_it_is_detected()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var (log, entries) = await ThreeEntriesAsync(db);

        await db.ExecuteAsync("UPDATE audit_log SET chain_seq = NULL, prev_hash = NULL, hash = NULL, data = '{}' WHERE id = @id", new { id = entries[1].Id });

        Assert.Equal(entries[2].Id, await log.FindFirstBrokenEntryAsync(CancellationToken.None));
    }

    private static OutboxMessage Message(string key) => new()
    {
        Channel = NotificationChannels.Sms, Recipient = "+81-90-0000-0001", Subject = "Claim received", Body = "We have your claim.",
        DedupeKey = key, CreatedAt = Now,
    };

    [DatabaseTheory]
    public async Task A_statement_sent_before_the_entries_is_written_with_them_in_order(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var log = new AuditLog(db.Connections);

        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await log.AppendAsync(OutboxRepository.Enqueue(Message("claim-received:1")),
            [
                new AuditEntry("customer:1", "claim.submitted", "claim", "CLM-2026-000001", "{}", Now),
                new AuditEntry("engine:test", "claim.assessed", "claim", "CLM-2026-000001", "{}", Now),
            ], tx, CancellationToken.None);
            await tx.CommitAsync();
        }

        Assert.Equal(1, await db.CountAsync("outbox_messages"));
        Assert.Equal(["claim.submitted", "claim.assessed"], (await log.ListForEntityAsync("claim", "CLM-2026-000001", CancellationToken.None)).Select(e => e.Action));
        await log.SealPendingAsync(CancellationToken.None);
        Assert.Null(await log.FindFirstBrokenEntryAsync(CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task When_the_entries_fail_the_statement_sent_before_them_is_rolled_back_with_them(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var log = new AuditLog(db.Connections);

        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        await using (var tx = await connection.BeginTransactionAsync())
        {
            // audit_log.actor is NOT NULL: the append fails after the message's insert ran.
            await Assert.ThrowsAnyAsync<DbException>(() => log.AppendAsync(OutboxRepository.Enqueue(Message("claim-received:2")),
                [new AuditEntry(null!, "claim.submitted", "claim", "CLM-2026-000002", "{}", Now)], tx, CancellationToken.None));
            await tx.RollbackAsync();
        }

        Assert.Equal(0, await db.CountAsync("outbox_messages"));
        Assert.Equal(0, await db.CountAsync("audit_log"));
    }

    [PostgresFact]
    public async Task On_PostgreSQL_a_statement_whose_parameter_names_clash_with_the_entries_is_refused()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var log = new AuditLog(db.Connections);
        var parameters = new DynamicParameters();
        parameters.Add("actor0", "someone");
        var clashing = new SqlStatement("UPDATE outbox_messages SET recipient = @actor0", parameters);

        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => log.AppendAsync(clashing,
            [new AuditEntry("customer:1", "claim.submitted", "claim", "CLM-2026-000003", "{}", Now)], tx, CancellationToken.None));
        Assert.Contains("@actor0", error.Message, StringComparison.Ordinal);
    }
}
