using System.Data.Common;
using Dapper;

namespace ClaimsOffice.Database.Ledger;

public sealed record LedgerPosting(long AccountId, long Amount, string Currency);

public sealed record LedgerJournal(string Kind, long? ClaimId, string Memo, DateTimeOffset CreatedAt, IReadOnlyList<LedgerPosting> Postings);

public static class LedgerAccountKinds
{
    /// <summary>Money the company sets aside to compensate victims.</summary>
    public const string CompensationFund = "compensation_fund";
    /// <summary>Where fund top-ups come from (the company's own money); its balance is negative by design.</summary>
    public const string FundingSource = "funding_source";
    public const string CustomerWallet = "customer_wallet";

    public const string CompensationFundCode = "compensation-fund";
    public const string FundingSourceCode = "funding-source";

    public static string WalletCode(long customerId) => $"wallet-{customerId}";
}

/// <summary>
/// Double-entry ledger: journals of postings that sum to zero per currency. Balances are derived
/// from postings, never stored or edited.
/// </summary>
public sealed class LedgerRepository(IDbConnectionFactory connections)
{
    /// <summary>Returns the account's id, creating it on first use (idempotent under concurrency).</summary>
    public async Task<long> EnsureAccountAsync(string code, string kind, long? customerId, string currency, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string insert = """
            INSERT INTO ledger_accounts (code, kind, customer_id, currency, created_at)
            VALUES (@code, @kind, @customerId, @currency, @now)
            ON CONFLICT (code) DO NOTHING
            """;
        const string select = "SELECT id FROM ledger_accounts WHERE code = @code";
        var connection = tx.Connection!;
        await connection.ExecuteAsync(new CommandDefinition(insert, new { code, kind, customerId, currency, now }, tx, cancellationToken: ct));
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(select, new { code }, tx, cancellationToken: ct));
    }

    public async Task<long> PostAsync(LedgerJournal journal, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(tx);
        EnsureBalanced(journal);
        const string insertJournal = """
            INSERT INTO ledger_journals (kind, claim_id, memo, created_at)
            VALUES (@Kind, @ClaimId, @Memo, @CreatedAt)
            RETURNING id
            """;
        const string insertPosting = """
            INSERT INTO ledger_postings (journal_id, account_id, amount, currency)
            VALUES (@JournalId, @AccountId, @Amount, @Currency)
            """;
        var connection = tx.Connection!;
        var journalId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insertJournal,
            new { journal.Kind, journal.ClaimId, journal.Memo, journal.CreatedAt }, tx, cancellationToken: ct));
        foreach (var p in journal.Postings)
        {
            await connection.ExecuteAsync(new CommandDefinition(insertPosting,
                new { JournalId = journalId, p.AccountId, p.Amount, p.Currency }, tx, cancellationToken: ct));
        }
        return journalId;
    }

    /// <summary>A journal must have at least two postings, no zero amounts, and sum to zero in each currency.</summary>
    public static void EnsureBalanced(LedgerJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        if (journal.Postings.Count < 2)
        {
            throw new InvalidOperationException("A journal needs at least two postings.");
        }
        if (journal.Postings.Any(p => p.Amount == 0))
        {
            throw new InvalidOperationException("A posting of zero moves nothing; leave it out.");
        }
        var unbalanced = journal.Postings.GroupBy(p => p.Currency).FirstOrDefault(g => g.Sum(p => p.Amount) != 0);
        if (unbalanced is not null)
        {
            throw new InvalidOperationException($"Journal '{journal.Memo}' does not balance in {unbalanced.Key}: postings sum to {unbalanced.Sum(p => p.Amount)}.");
        }
    }

    public async Task<long> BalanceAsync(string accountCode, CancellationToken ct)
    {
        const string sql = """
            SELECT COALESCE(SUM(p.amount), 0) FROM ledger_postings p
            JOIN ledger_accounts a ON a.id = p.account_id
            WHERE a.code = @accountCode
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { accountCode }, cancellationToken: ct));
    }

    /// <summary>Journals whose postings do not sum to zero; always empty unless someone edited the tables by hand.</summary>
    public async Task<IReadOnlyList<long>> FindUnbalancedJournalsAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT journal_id FROM ledger_postings GROUP BY journal_id, currency HAVING SUM(amount) <> 0
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<long>(new CommandDefinition(sql, cancellationToken: ct))];
    }
}
