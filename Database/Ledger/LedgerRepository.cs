using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;

namespace ClaimsOffice.Database.Ledger;

public sealed record LedgerPosting(long AccountId, long Amount, string Currency);

/// <summary>An account to find or create by its unique code.</summary>
public sealed record LedgerAccount(string Code, string Kind, long? CustomerId, string Currency);

public sealed record LedgerJournal(string Kind, long? ClaimId, string Memo, DateTimeOffset CreatedAt, IReadOnlyList<LedgerPosting> Postings);

/// <summary>A journal of two postings that moves <see cref="Amount"/> from one account to another, each created on first use.</summary>
public sealed record LedgerTransfer(LedgerAccount From, LedgerAccount To, long Amount, string Currency, string Kind, long? ClaimId, string Memo, DateTimeOffset CreatedAt)
{
    /// <summary>The journal, given the accounts' ids by code.</summary>
    public LedgerJournal ToJournal(IReadOnlyDictionary<string, long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return new LedgerJournal(Kind, ClaimId, Memo, CreatedAt, [new(ids[From.Code], -Amount, Currency), new(ids[To.Code], Amount, Currency)]);
    }
}

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
    public async Task<long> EnsureAccountAsync(string code, string kind, long? customerId, string currency, DateTimeOffset now, DbTransaction tx, CancellationToken ct) =>
        (await EnsureAccountsAsync([new LedgerAccount(code, kind, customerId, currency)], now, tx, ct))[code];

    /// <summary>
    /// Returns the accounts' ids by code, creating those that do not exist yet (idempotent under concurrency).
    /// PostgreSQL: one statement, whether or not they exist; SQLite: an insert that skips existing codes and a select.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> EnsureAccountsAsync(IReadOnlyList<LedgerAccount> accounts, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentOutOfRangeException.ThrowIfZero(accounts.Count);
        var connection = tx.Connection!;
        var parameters = new DynamicParameters();
        var wanted = AddAccounts(accounts, now, parameters);
        IEnumerable<(long Id, string Code)> found;
        if (connections.Dialect.Provider == DatabaseProvider.Postgres)
        {
            // The select sees the table as it was when the statement began, the CTE's insert returns what it added:
            // together every wanted account, in one round trip and one statement.
            var sql = $"""
                WITH wanted (code, kind, customer_id, currency) AS (VALUES {wanted}),
                inserted AS (
                    INSERT INTO ledger_accounts (code, kind, customer_id, currency, created_at)
                    SELECT w.code, w.kind, w.customer_id, w.currency, @AccountsCreatedAt FROM wanted w
                    WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.code = w.code)
                    ON CONFLICT (code) DO NOTHING
                    RETURNING id, code)
                SELECT id, code FROM inserted
                UNION ALL
                SELECT a.id, a.code FROM ledger_accounts a JOIN wanted w ON w.code = a.code
                """;
            found = await connection.QueryAsync<(long, string)>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(CreateMissingSql(wanted), parameters, tx, cancellationToken: ct));
            found = [];
        }
        var ids = found.ToDictionary(r => r.Code, r => r.Id, StringComparer.Ordinal);
        if (ids.Count < accounts.Count)
        {
            // SQLite always; PostgreSQL only when another transaction created one of them since this statement began.
            // SqlList, not Dapper's "IN @codes": Npgsql took that for an array parameter and PostgreSQL refused the
            // syntax, so this path failed the first assessments racing to create the same account (retried by Hangfire).
            var byCode = new DynamicParameters();
            var codes = SqlList.In(byCode, "code", accounts.Select(a => a.Code));
            var rest = await connection.QueryAsync<(long Id, string Code)>(new CommandDefinition(
                $"SELECT id, code FROM ledger_accounts WHERE code IN {codes}", byCode, tx, cancellationToken: ct));
            ids = rest.ToDictionary(r => r.Code, r => r.Id, StringComparer.Ordinal);
        }
        return ids;
    }

    /// <summary>
    /// Creates those of the accounts that do not exist yet; returns nothing. On PostgreSQL a statement sent after it in the
    /// same transaction sees every one of them: its own snapshot is taken when it starts, after this one has waited for
    /// any transaction creating one of them at the same time. Its parameters: @AccountCodeN, @AccountKindN,
    /// @AccountCustomerIdN, @AccountCurrencyN and @AccountsCreatedAt.
    /// </summary>
    public static SqlStatement CreateMissingAccounts(IReadOnlyList<LedgerAccount> accounts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentOutOfRangeException.ThrowIfZero(accounts.Count);
        var parameters = new DynamicParameters();
        return new SqlStatement(CreateMissingSql(AddAccounts(accounts, now, parameters)), parameters);
    }

    // NOT EXISTS first: PostgreSQL draws the id from the sequence before ON CONFLICT finds the existing row, so an upsert
    // alone would use up an id on every payout. (A WHERE also lets SQLite tell the upsert's ON CONFLICT from a join's ON.)
    private static string CreateMissingSql(string wanted) => $"""
        INSERT INTO ledger_accounts (code, kind, customer_id, currency, created_at)
        SELECT w.column1, w.column2, w.column3, w.column4, @AccountsCreatedAt FROM (VALUES {wanted}) AS w
        WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.code = w.column1)
        ON CONFLICT (code) DO NOTHING
        """;

    private static string AddAccounts(IReadOnlyList<LedgerAccount> accounts, DateTimeOffset now, DynamicParameters parameters)
    {
        parameters.Add("AccountsCreatedAt", now);
        var rows = new List<string>(accounts.Count);
        for (var i = 0; i < accounts.Count; i++)
        {
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"(@AccountCode{i}, @AccountKind{i}, CAST(@AccountCustomerId{i} AS BIGINT), @AccountCurrency{i})"));
            parameters.Add($"AccountCode{i}", accounts[i].Code);
            parameters.Add($"AccountKind{i}", accounts[i].Kind);
            parameters.Add($"AccountCustomerId{i}", accounts[i].CustomerId, DbType.Int64);
            parameters.Add($"AccountCurrency{i}", accounts[i].Currency);
        }
        return string.Join(", ", rows);
    }

    /// <summary>Writes the journal and its postings: one statement on PostgreSQL, two on SQLite.</summary>
    public async Task<long> PostAsync(LedgerJournal journal, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(tx);
        var parameters = new DynamicParameters();
        if (connections.Dialect.Provider == DatabaseProvider.Postgres)
        {
            var sql = $"""
                WITH {PostgresJournalCtes(journal, parameters)}
                SELECT id FROM j
                """;
            return await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
        }
        EnsureBalanced(journal);
        var rows = AddPostings(journal, parameters);
        var connection = tx.Connection!;
        var journalId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertJournal + " RETURNING id", parameters, tx, cancellationToken: ct));
        parameters.Add("JournalId", journalId);
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO ledger_postings (journal_id, account_id, amount, currency) SELECT @JournalId, column1, column2, column3 FROM (VALUES {rows})",
            parameters, tx, cancellationToken: ct));
        return journalId;
    }

    private const string InsertJournal = "INSERT INTO ledger_journals (kind, claim_id, memo, created_at) VALUES (@Kind, @ClaimId, @Memo, @CreatedAt)";

    /// <summary>
    /// PostgreSQL only: the CTEs <c>j</c> (the journal, <c>RETURNING id</c>) and <c>p</c> (its postings) that write a
    /// balanced journal, for a statement that goes on to use <c>j.id</c> (as the payout does). Adds the parameters
    /// @Kind, @ClaimId, @Memo, @CreatedAt and @AccountId/@Amount/@Currency with an index.
    /// </summary>
    internal static string PostgresJournalCtes(LedgerJournal journal, DynamicParameters parameters)
    {
        EnsureBalanced(journal);
        var rows = AddPostings(journal, parameters);
        return $"""
            j AS ({InsertJournal} RETURNING id),
            p AS (
                INSERT INTO ledger_postings (journal_id, account_id, amount, currency)
                SELECT j.id, v.account_id, v.amount, v.currency FROM j, (VALUES {rows}) v (account_id, amount, currency))
            """;
    }

    private static string AddPostings(LedgerJournal journal, DynamicParameters parameters)
    {
        parameters.AddDynamicParams(new { journal.Kind, journal.ClaimId, journal.Memo, journal.CreatedAt });
        var rows = new List<string>(journal.Postings.Count);
        for (var i = 0; i < journal.Postings.Count; i++)
        {
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"(CAST(@AccountId{i} AS BIGINT), CAST(@Amount{i} AS BIGINT), @Currency{i})"));
            parameters.Add($"AccountId{i}", journal.Postings[i].AccountId);
            parameters.Add($"Amount{i}", journal.Postings[i].Amount);
            parameters.Add($"Currency{i}", journal.Postings[i].Currency);
        }
        return string.Join(", ", rows);
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
