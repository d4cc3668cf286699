using ClaimsOffice.Database.Migrations;
using ClaimsOffice.TestKit.Databases;
using Dapper;

namespace ClaimsOffice.Database.Tests.Migrations;

/// <summary>Migration 0004 rebuilds SQLite's customers table: a database with data in it must come through whole.</summary>
public sealed class ImportFieldsMigrationTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [DatabaseTheory]
    public async Task Customers_and_everything_pointing_at_them_survive_0004_and_contact_rules_change_only_for_imported_customers(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(kind);
        await ApplyScriptsBeforeAsync(db, version: 4);
        await using (var c = await db.Connections.OpenAsync(Ct))
        {
            await c.ExecuteAsync("""
                INSERT INTO customers (id, full_name, email, phone, created_at) VALUES (1, 'Haruto Sato', 'haruto@example.jp', '+819000000001', @at);
                INSERT INTO devices (customer_id, fingerprint, label, first_seen_at, last_seen_at) VALUES (1, 'dev-1', 'Phone', @at, @at);
                INSERT INTO transactions (reference, customer_id, kind, amount, currency, occurred_at) VALUES ('T-1', 1, 'payment', 5000, 'JPY', @at);
                """, new { at = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) });
        }

        await new Migrator(db.Connections).MigrateAsync(dryRun: false, Ct);

        await using var connection = await db.Connections.OpenAsync(Ct);
        var customer = await connection.QuerySingleAsync<(string FullName, string Email, string Phone)>("SELECT full_name, email, phone FROM customers WHERE id = 1");
        Assert.Equal(("Haruto Sato", "haruto@example.jp", "+819000000001"), customer);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM devices d JOIN customers c ON c.id = d.customer_id"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM transactions t JOIN customers c ON c.id = t.customer_id"));

        // Foreign keys still point at the rebuilt table.
        var orphan = await Record.ExceptionAsync(() => connection.ExecuteAsync(
            "INSERT INTO devices (customer_id, fingerprint, label, first_seen_at, last_seen_at) VALUES (99, 'x', 'x', @at, @at)", new { at = DateTimeOffset.UtcNow }));
        Assert.NotNull(orphan);

        // Customers created here keep unique contacts; imported ones may share them or have none.
        var duplicate = await Record.ExceptionAsync(() => connection.ExecuteAsync(
            "INSERT INTO customers (full_name, email, phone, created_at) VALUES ('Copy', 'haruto@example.jp', '+819000000009', @at)", new { at = DateTimeOffset.UtcNow }));
        Assert.True(duplicate is not null && db.Dialect.IsUniqueViolation(duplicate), duplicate?.Message);
        await connection.ExecuteAsync("""
            INSERT INTO customers (external_id, full_name, email, phone, created_at) VALUES ('x-1', 'Imported', 'haruto@example.jp', NULL, @at);
            INSERT INTO customers (external_id, full_name, email, phone, created_at) VALUES ('x-2', 'Imported too', 'haruto@example.jp', NULL, @at);
            """, new { at = DateTimeOffset.UtcNow });
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE email = 'haruto@example.jp'"));
    }

    /// <summary>Applies the scripts below <paramref name="version"/> and journals them, as an older build would have.</summary>
    private static async Task ApplyScriptsBeforeAsync(TestDatabase db, int version)
    {
        await using var connection = await db.Connections.OpenAsync(Ct);
        if (db.Dialect.DatabaseSettings is { } settings)
        {
            await connection.ExecuteAsync(settings);
        }
        await connection.ExecuteAsync("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)");
        foreach (var script in Migrator.LoadScripts(db.Dialect).Where(s => s.Version < version))
        {
            await using var tx = await connection.BeginTransactionAsync(Ct);
            await connection.ExecuteAsync(script.Sql, transaction: tx);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, 'then')",
                new { script.Version, script.Name, script.Checksum }, tx);
            await tx.CommitAsync(Ct);
        }
    }
}
