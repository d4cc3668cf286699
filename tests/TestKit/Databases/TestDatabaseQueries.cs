using Dapper;

namespace ClaimsOffice.TestKit.Databases;

/// <summary>Small read-only helpers for assertions: counts and single values straight from the tables.</summary>
public static class TestDatabaseQueries
{
    public static async Task<T> ScalarAsync<T>(this TestDatabase db, string sql, object? args = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var connection = await db.Connections.OpenAsync(ct);
        return (await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, args, cancellationToken: ct)))!;
    }

    public static Task<long> CountAsync(this TestDatabase db, string table, string where = "1 = 1", object? args = null, CancellationToken ct = default) =>
        db.ScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE {where}", args, ct);

    public static async Task<int> ExecuteAsync(this TestDatabase db, string sql, object? args = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var connection = await db.Connections.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: ct));
    }

    /// <summary>Row counts of the tables a claim touches, to show that something changed nothing.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountClaimTablesAsync(this TestDatabase db, CancellationToken ct = default)
    {
        string[] tables = ["claims", "claim_transactions", "assessments", "assessment_findings", "payouts", "ledger_journals", "ledger_postings", "outbox_messages", "audit_log", "sign_in_codes"];
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            counts[table] = await db.CountAsync(table, ct: ct);
        }
        return counts;
    }
}
