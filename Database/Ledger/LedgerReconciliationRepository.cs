using System.Data.Common;
using Dapper;

namespace ClaimsOffice.Database.Ledger;

/// <summary>A wallet whose balance from postings differs from what the payouts made to it add up to.</summary>
public sealed record WalletMismatch(long AccountId, string Code, long PostedBalance, long PaidOut);

public sealed record ReconciliationRun
{
    public long Id { get; init; }
    public DateTimeOffset RanAt { get; init; }
    public long JournalsChecked { get; init; }
    public long WalletsChecked { get; init; }
    public long UnbalancedJournals { get; init; }
    public long MismatchedWallets { get; init; }
    public required string Detail { get; init; }

    public bool Balanced => UnbalancedJournals == 0 && MismatchedWallets == 0;
}

/// <summary>The ledger's invariants, checked from the raw tables, and the record of each check.</summary>
public sealed class LedgerReconciliationRepository(IDbConnectionFactory connections)
{
    /// <summary>Journals whose postings do not sum to zero in some currency.</summary>
    public async Task<IReadOnlyList<long>> UnbalancedJournalsAsync(CancellationToken ct)
    {
        const string sql = "SELECT DISTINCT journal_id FROM ledger_postings GROUP BY journal_id, currency HAVING SUM(amount) <> 0 ORDER BY journal_id";
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<long>(new CommandDefinition(sql, cancellationToken: ct))];
    }

    /// <summary>
    /// Wallets are credited only by claim payouts, so each wallet's balance from its postings must equal the
    /// payouts recorded for its customer. A posting edited by hand shows up here.
    /// </summary>
    public async Task<(long Checked, IReadOnlyList<WalletMismatch> Mismatches)> WalletMismatchesAsync(CancellationToken ct)
    {
        const string sql = """
            -- SUM of BIGINT is NUMERIC on PostgreSQL: cast back for the record's long fields.
            SELECT a.id AS account_id, a.code,
                   CAST(COALESCE((SELECT SUM(p.amount) FROM ledger_postings p WHERE p.account_id = a.id), 0) AS BIGINT) AS posted_balance,
                   CAST(COALESCE((SELECT SUM(po.amount) FROM payouts po JOIN claims c ON c.id = po.claim_id
                             WHERE c.customer_id = a.customer_id AND po.currency = a.currency), 0) AS BIGINT) AS paid_out
            FROM ledger_accounts a
            WHERE a.kind = @CustomerWallet
            """;
        await using var connection = await connections.OpenAsync(ct);
        var rows = (await connection.QueryAsync<WalletMismatch>(new CommandDefinition(sql, new { LedgerAccountKinds.CustomerWallet }, cancellationToken: ct))).ToList();
        return (rows.Count, [.. rows.Where(r => r.PostedBalance != r.PaidOut)]);
    }

    public async Task<long> CountJournalsAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM ledger_journals", cancellationToken: ct));
    }

    public async Task<long> InsertRunAsync(ReconciliationRun run, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO reconciliation_runs (ran_at, journals_checked, wallets_checked, unbalanced_journals, mismatched_wallets, detail)
            VALUES (@RanAt, @JournalsChecked, @WalletsChecked, @UnbalancedJournals, @MismatchedWallets, @Detail)
            RETURNING id
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, run, cancellationToken: ct));
    }

    public async Task<ReconciliationRun?> LatestRunAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT id, ran_at, journals_checked, wallets_checked, unbalanced_journals, mismatched_wallets, detail
            FROM reconciliation_runs ORDER BY id DESC LIMIT 1
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ReconciliationRun>(new CommandDefinition(sql, cancellationToken: ct));
    }
}
