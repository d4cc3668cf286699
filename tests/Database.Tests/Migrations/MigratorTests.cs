using ClaimsOffice.Database;
using ClaimsOffice.Database.Migrations;
using ClaimsOffice.TestKit.Databases;
using Dapper;

namespace ClaimsOffice.Database.Tests.Migrations;

public sealed class MigratorTests
{
    private static readonly string[] SomeTables = ["customers", "transactions", "claims", "claim_transactions", "payouts", "audit_log"];

    private sealed record JournalRow
    {
        public long Version { get; set; }

        public string Name { get; set; } = "";

        public string Checksum { get; set; } = "";

        public string AppliedAt { get; set; } = "";
    }

    [DatabaseTheory]
    public async Task Migrating_an_empty_database_applies_every_script_and_journals_it(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(kind);
        var scripts = Migrator.LoadScripts(db.Dialect);

        var report = await new Migrator(db.Connections).MigrateAsync(dryRun: false, CancellationToken.None);

        Assert.Equal(scripts.Select(s => s.Version), report.Applied.Select(s => s.Version));
        Assert.Empty(report.Pending);
        foreach (var table in SomeTables)
        {
            Assert.True(await db.TableExistsAsync(table), $"table {table} should exist after migrating");
        }
        var journal = await ReadJournalAsync(db);
        Assert.Equal(scripts.Select(s => ((long)s.Version, s.Name, s.Checksum)), journal.Select(r => (r.Version, r.Name, r.Checksum)));
        Assert.All(journal, r => Assert.Matches("^[0-9a-f]{64}$", r.Checksum));
        Assert.All(journal, r => Assert.False(string.IsNullOrWhiteSpace(r.AppliedAt)));
    }

    [DatabaseTheory]
    public async Task Migrating_twice_applies_nothing_the_second_time(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(kind);
        var migrator = new Migrator(db.Connections);
        var first = await migrator.MigrateAsync(dryRun: false, CancellationToken.None);
        var journalAfterFirst = await ReadJournalAsync(db);

        var second = await migrator.MigrateAsync(dryRun: false, CancellationToken.None);

        Assert.NotEmpty(first.Applied);
        Assert.Empty(second.Applied);
        Assert.Empty(second.Pending);
        Assert.Equal(journalAfterFirst, await ReadJournalAsync(db));
    }

    [DatabaseTheory]
    public async Task A_dry_run_lists_the_pending_scripts_and_changes_nothing(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(kind);
        var scripts = Migrator.LoadScripts(db.Dialect);

        var report = await new Migrator(db.Connections).MigrateAsync(dryRun: true, CancellationToken.None);

        Assert.Empty(report.Applied);
        Assert.Equal(scripts.Select(s => s.Name), report.Pending.Select(s => s.Name));
        foreach (var table in SomeTables)
        {
            Assert.False(await db.TableExistsAsync(table), $"table {table} should not exist after a dry run");
        }
        Assert.False(await db.TableExistsAsync("schema_migrations"), "a dry run should not even create the journal");
    }

    [DatabaseTheory]
    public async Task A_changed_checksum_in_the_journal_stops_the_migration_and_names_the_script(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(kind);
        var migrator = new Migrator(db.Connections);
        await migrator.MigrateAsync(dryRun: false, CancellationToken.None);
        var first = Migrator.LoadScripts(db.Dialect)[0];
        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE schema_migrations SET checksum = 'x' WHERE version = @Version", new { first.Version });
        }

        var error = await Assert.ThrowsAsync<MigrationException>(() => migrator.MigrateAsync(dryRun: false, CancellationToken.None));

        Assert.Contains(first.Name, error.Message, StringComparison.Ordinal);
    }

    [DatabaseTheory]
    public async Task A_transaction_can_be_in_only_one_live_claim(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var now = new DateTimeOffset(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        var customerId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO customers (full_name, email, phone, created_at) VALUES ('Aiko Tanaka', 'aiko@example.test', '+81-90-0000-0001', @now) RETURNING id",
            new { now });
        var transactionId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO transactions (reference, customer_id, kind, amount, currency, occurred_at) VALUES ('TX-1', @customerId, 'payment', 5000, 'JPY', @now) RETURNING id",
            new { customerId, now });
        const string InsertClaim = """
            INSERT INTO claims (claim_number, customer_id, status, description, total_amount, currency, submitted_at, updated_at)
            VALUES (@number, @customerId, 'Submitted', 'not me', 5000, 'JPY', @now, @now) RETURNING id
            """;
        var firstClaim = await connection.ExecuteScalarAsync<long>(InsertClaim, new { number = "CLM-2026-000001", customerId, now });
        var secondClaim = await connection.ExecuteScalarAsync<long>(InsertClaim, new { number = "CLM-2026-000002", customerId, now });
        const string Dispute = "INSERT INTO claim_transactions (claim_id, transaction_id, amount, released_at) VALUES (@claimId, @transactionId, 5000, NULL)";
        await connection.ExecuteAsync(Dispute, new { claimId = firstClaim, transactionId });

        var duplicate = await Record.ExceptionAsync(() => connection.ExecuteAsync(Dispute, new { claimId = secondClaim, transactionId }));
        Assert.NotNull(duplicate);
        Assert.True(db.Dialect.IsUniqueViolation(duplicate), $"expected a unique violation, got {duplicate}");

        await connection.ExecuteAsync(
            "UPDATE claim_transactions SET released_at = @released WHERE claim_id = @claimId",
            new { released = now.AddHours(1), claimId = firstClaim });
        await connection.ExecuteAsync(Dispute, new { claimId = secondClaim, transactionId });

        var live = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM claim_transactions WHERE transaction_id = @transactionId AND released_at IS NULL", new { transactionId });
        Assert.Equal(1, live);
    }

    [Fact]
    public void Both_dialects_have_the_same_migration_numbers()
    {
        var sqlite = Migrator.LoadScripts(SqlDialect.Sqlite);
        var postgres = Migrator.LoadScripts(SqlDialect.Postgres);

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite.Select(s => s.Version), postgres.Select(s => s.Version));
    }

    private static async Task<List<JournalRow>> ReadJournalAsync(TestDatabase db)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        if (!await db.TableExistsAsync("schema_migrations"))
        {
            return [];
        }
        var rows = await connection.QueryAsync<JournalRow>(
            "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version");
        return [.. rows];
    }
}
