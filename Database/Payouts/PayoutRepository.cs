using System.Data;
using System.Data.Common;
using ClaimsOffice.Database.Ledger;
using Dapper;

namespace ClaimsOffice.Database.Payouts;

public sealed record Payout
{
    public long Id { get; init; }
    public long ClaimId { get; init; }
    public long Amount { get; init; }
    public required string Currency { get; init; }
    public long JournalId { get; init; }
    public DateTimeOffset PaidAt { get; init; }
}

/// <summary>At most one payout per claim: the unique key on claim_id is the last line of defence against paying twice.</summary>
public sealed class PayoutRepository(IDbConnectionFactory connections)
{
    // PostgreSQL: the payout row pointing at the journal written by the CTE j; the statement returns its id and journal id.
    private const string PayoutFromJournal = """
        pay AS (
            INSERT INTO payouts (claim_id, amount, currency, journal_id, paid_at)
            SELECT @PayoutClaimId, @PayoutAmount, @PayoutCurrency, j.id, @PaidAt FROM j
            RETURNING id, journal_id)
        SELECT id, journal_id FROM pay
        """;

    public async Task<long> InsertAsync(Payout payout, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = """
            INSERT INTO payouts (claim_id, amount, currency, journal_id, paid_at)
            VALUES (@ClaimId, @Amount, @Currency, @JournalId, @PaidAt)
            RETURNING id
            """;
        return await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(sql, payout, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Writes the payout's journal (see <see cref="LedgerRepository.PostAsync"/>) and then the payout row pointing at
    /// it: one statement on PostgreSQL, three on SQLite. Returns the payout with its id and journal id.
    /// </summary>
    public async Task<Payout> InsertWithJournalAsync(Payout payout, LedgerJournal journal, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payout);
        ArgumentNullException.ThrowIfNull(tx);
        if (connections.Dialect.Provider != DatabaseProvider.Postgres)
        {
            var journalId = await new LedgerRepository(connections).PostAsync(journal, tx, ct);
            var withJournal = payout with { JournalId = journalId };
            return withJournal with { Id = await InsertAsync(withJournal, tx, ct) };
        }
        var parameters = new DynamicParameters(new { PayoutClaimId = payout.ClaimId, PayoutAmount = payout.Amount, PayoutCurrency = payout.Currency, payout.PaidAt });
        var sql = $"""
            WITH {LedgerRepository.PostgresJournalCtes(journal, parameters)},
            {PayoutFromJournal}
            """;
        var (id, journalIdWritten) = await tx.Connection!.QuerySingleAsync<(long, long)>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
        return payout with { Id = id, JournalId = journalIdWritten };
    }

    /// <summary>
    /// Creates the transfer's accounts if they do not exist yet, then writes its journal and the payout row pointing at it.
    /// PostgreSQL: one command of two statements, the second finding the accounts by code (their ids are not needed
    /// here); SQLite: <see cref="LedgerRepository.EnsureAccountsAsync"/>, then <see cref="InsertWithJournalAsync"/>.
    /// </summary>
    public async Task<Payout> InsertWithTransferAsync(Payout payout, LedgerTransfer transfer, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payout);
        ArgumentNullException.ThrowIfNull(transfer);
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(transfer.Amount);
        var accounts = new[] { transfer.From, transfer.To };
        if (connections.Dialect.Provider != DatabaseProvider.Postgres)
        {
            var ids = await new LedgerRepository(connections).EnsureAccountsAsync(accounts, transfer.CreatedAt, tx, ct);
            return await InsertWithJournalAsync(payout, transfer.ToJournal(ids), tx, ct);
        }
        var parameters = new DynamicParameters();
        parameters.Add("Kind", transfer.Kind);
        parameters.Add("ClaimId", transfer.ClaimId, DbType.Int64);
        parameters.Add("Memo", transfer.Memo);
        parameters.Add("CreatedAt", transfer.CreatedAt);
        parameters.Add("FromCode", transfer.From.Code);
        parameters.Add("ToCode", transfer.To.Code);
        parameters.Add("Amount", transfer.Amount);
        parameters.Add("Currency", transfer.Currency);
        parameters.Add("PayoutClaimId", payout.ClaimId);
        parameters.Add("PayoutAmount", payout.Amount);
        parameters.Add("PayoutCurrency", payout.Currency);
        parameters.Add("PaidAt", payout.PaidAt);
        var createAccounts = LedgerRepository.CreateMissingAccounts(accounts, transfer.CreatedAt);
        createAccounts.AddParametersTo(parameters);
        // An account id that is not found is NULL, which account_id refuses: never a posting left out.
        var sql = $"""
            {createAccounts.Sql};
            WITH j AS (INSERT INTO ledger_journals (kind, claim_id, memo, created_at) VALUES (@Kind, @ClaimId, @Memo, @CreatedAt) RETURNING id),
            p AS (
                INSERT INTO ledger_postings (journal_id, account_id, amount, currency)
                SELECT j.id, (SELECT a.id FROM ledger_accounts a WHERE a.code = v.code), v.amount, @Currency
                FROM j, (VALUES (@FromCode, -@Amount), (@ToCode, @Amount)) v (code, amount)),
            {PayoutFromJournal}
            """;
        var (id, journalId) = await tx.Connection!.QuerySingleAsync<(long, long)>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
        return payout with { Id = id, JournalId = journalId };
    }

    public async Task<IReadOnlyList<Payout>> ListForClaimAsync(long claimId, CancellationToken ct)
    {
        const string sql = "SELECT id, claim_id, amount, currency, journal_id, paid_at FROM payouts WHERE claim_id = @claimId";
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<Payout>(new CommandDefinition(sql, new { claimId }, cancellationToken: ct))];
    }
}
