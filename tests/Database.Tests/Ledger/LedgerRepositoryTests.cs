using ClaimsOffice.Database.Ledger;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;

namespace ClaimsOffice.Database.Tests.Ledger;

public sealed class LedgerRepositoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private static LedgerJournal Journal(params LedgerPosting[] postings) => new("test", null, "Test journal", Now, postings);

    [Fact]
    public void A_journal_that_does_not_sum_to_zero_is_rejected()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LedgerRepository.EnsureBalanced(Journal(new(1, -1_000, "JPY"), new(2, 999, "JPY"))));

        Assert.Contains("does not balance in JPY: postings sum to -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_journal_that_balances_only_across_currencies_is_rejected()
    {
        Assert.Throws<InvalidOperationException>(() => LedgerRepository.EnsureBalanced(Journal(new(1, -1_000, "JPY"), new(2, 1_000, "USD"))));
    }

    [Fact]
    public void A_single_posting_is_rejected()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LedgerRepository.EnsureBalanced(Journal(new LedgerPosting(1, 0, "JPY"))));

        Assert.Equal("A journal needs at least two postings.", error.Message);
    }

    [Fact]
    public void Zero_postings_are_rejected()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LedgerRepository.EnsureBalanced(Journal(new(1, 0, "JPY"), new(2, 0, "JPY"))));

        Assert.Equal("A posting of zero moves nothing; leave it out.", error.Message);
        Assert.Throws<InvalidOperationException>(() => LedgerRepository.EnsureBalanced(Journal()));
    }

    [DatabaseTheory]
    public async Task A_balanced_journal_is_written_with_every_posting(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var ledger = new LedgerRepository(db.Connections);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var (fund, wallet, source) = await AccountsAsync(db, ledger, customer.Id);

        var id = await PostAsync(db, ledger, Journal(new(source, -1_500, "JPY"), new(fund, 1_000, "JPY"), new(wallet, 500, "JPY")));

        Assert.Equal(1, await db.CountAsync("ledger_journals", "id = @id AND kind = 'test' AND memo = 'Test journal'", new { id }));
        Assert.Equal(3, await db.CountAsync("ledger_postings", "journal_id = @id", new { id }));
        Assert.Equal(-1_500, await ledger.BalanceAsync(LedgerAccountKinds.FundingSourceCode, CancellationToken.None));
        Assert.Equal(1_000, await ledger.BalanceAsync(LedgerAccountKinds.CompensationFundCode, CancellationToken.None));
        Assert.Equal(500, await ledger.BalanceAsync(LedgerAccountKinds.WalletCode(customer.Id), CancellationToken.None));
        Assert.Empty(await ledger.FindUnbalancedJournalsAsync(CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task Accounts_are_found_or_created_together_and_only_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var ledger = new LedgerRepository(db.Connections);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var walletCode = LedgerAccountKinds.WalletCode(customer.Id);
        LedgerAccount[] wanted =
        [
            new(LedgerAccountKinds.CompensationFundCode, LedgerAccountKinds.CompensationFund, null, "JPY"),
            new(walletCode, LedgerAccountKinds.CustomerWallet, customer.Id, "JPY"),
        ];

        var created = await EnsureAsync(db, ledger, wanted);
        var again = await EnsureAsync(db, ledger, wanted);
        var walletOnly = await EnsureAsync(db, ledger, [wanted[1]]);

        Assert.Equal(2, created.Count);
        Assert.NotEqual(created[LedgerAccountKinds.CompensationFundCode], created[walletCode]);
        Assert.Equal(created, again);
        Assert.Equal(created[walletCode], walletOnly[walletCode]);
        Assert.Equal(2, await db.CountAsync("ledger_accounts"));
        Assert.Equal(1, await db.CountAsync("ledger_accounts", "code = @walletCode AND kind = 'customer_wallet' AND customer_id = @id AND currency = 'JPY'", new { walletCode, id = customer.Id }));
        Assert.Equal(1, await db.CountAsync("ledger_accounts", "code = 'compensation-fund' AND customer_id IS NULL"));
    }

    [DatabaseTheory]
    public async Task Two_payouts_creating_the_same_account_at_once_both_get_its_id(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var ledger = new LedgerRepository(db.Connections);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        LedgerAccount[] wanted = [new(LedgerAccountKinds.WalletCode(customer.Id), LedgerAccountKinds.CustomerWallet, customer.Id, "JPY")];
        await using var first = await db.Connections.OpenAsync(CancellationToken.None);
        await using var firstTx = await first.BeginTransactionAsync();
        var firstIds = await ledger.EnsureAccountsAsync(wanted, Now, firstTx, CancellationToken.None);

        // The second creates the same account while the first has not committed: it waits on the first's row.
        var second = Task.Run(() => EnsureAsync(db, ledger, wanted));
        if (kind == DatabaseKind.Postgres)
        {
            await WaitFor.UntilAsync(async () => await db.ScalarAsync<long>("SELECT COUNT(*) FROM pg_locks WHERE NOT granted") > 0,
                TimeSpan.FromSeconds(10), "the second transaction to wait on the first's new account");
        }
        await firstTx.CommitAsync();
        var secondIds = await second.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(firstIds, secondIds);
        Assert.Equal(1, await db.CountAsync("ledger_accounts"));
    }

    private static async Task<IReadOnlyDictionary<string, long>> EnsureAsync(TestDatabase db, LedgerRepository ledger, IReadOnlyList<LedgerAccount> accounts)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var ids = await ledger.EnsureAccountsAsync(accounts, Now, tx, CancellationToken.None);
        await tx.CommitAsync();
        return ids;
    }

    private static async Task<(long Fund, long Wallet, long Source)> AccountsAsync(TestDatabase db, LedgerRepository ledger, long customerId)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var fund = await ledger.EnsureAccountAsync(LedgerAccountKinds.CompensationFundCode, LedgerAccountKinds.CompensationFund, null, "JPY", Now, tx, CancellationToken.None);
        var source = await ledger.EnsureAccountAsync(LedgerAccountKinds.FundingSourceCode, LedgerAccountKinds.FundingSource, null, "JPY", Now, tx, CancellationToken.None);
        var wallet = await ledger.EnsureAccountAsync(LedgerAccountKinds.WalletCode(customerId), LedgerAccountKinds.CustomerWallet, customerId, "JPY", Now, tx, CancellationToken.None);
        var again = await ledger.EnsureAccountAsync(LedgerAccountKinds.CompensationFundCode, LedgerAccountKinds.CompensationFund, null, "JPY", Now, tx, CancellationToken.None);
        Assert.Equal(fund, again);
        await tx.CommitAsync();
        return (fund, wallet, source);
    }

    private static async Task<long> PostAsync(TestDatabase db, LedgerRepository ledger, LedgerJournal journal)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var id = await ledger.PostAsync(journal, tx, CancellationToken.None);
        await tx.CommitAsync();
        return id;
    }

    [DatabaseTheory]
    public async Task Balances_are_the_sum_of_the_postings(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var ledger = new LedgerRepository(db.Connections);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var (fund, wallet, source) = await AccountsAsync(db, ledger, customer.Id);

        await PostAsync(db, ledger, Journal(new(source, -1_000_000, "JPY"), new(fund, 1_000_000, "JPY")));
        await PostAsync(db, ledger, Journal(new(fund, -19_600, "JPY"), new(wallet, 19_600, "JPY")));
        await PostAsync(db, ledger, Journal(new(fund, -400, "JPY"), new(wallet, 400, "JPY")));

        Assert.Equal(980_000, await ledger.BalanceAsync(LedgerAccountKinds.CompensationFundCode, CancellationToken.None));
        Assert.Equal(20_000, await ledger.BalanceAsync(LedgerAccountKinds.WalletCode(customer.Id), CancellationToken.None));
        Assert.Equal(-1_000_000, await ledger.BalanceAsync(LedgerAccountKinds.FundingSourceCode, CancellationToken.None));
        Assert.Equal(0, await ledger.BalanceAsync("no-such-account", CancellationToken.None));
        Assert.Empty(await ledger.FindUnbalancedJournalsAsync(CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task An_unbalanced_journal_is_not_written_at_all(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var ledger = new LedgerRepository(db.Connections);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var (fund, wallet, _) = await AccountsAsync(db, ledger, customer.Id);

        await Assert.ThrowsAsync<InvalidOperationException>(() => PostAsync(db, ledger, Journal(new(fund, -1_000, "JPY"), new(wallet, 900, "JPY"))));

        Assert.Equal(0, await db.CountAsync("ledger_journals"));
        Assert.Equal(0, await db.CountAsync("ledger_postings"));
    }

    [DatabaseTheory]
    public async Task A_journal_unbalanced_by_hand_is_found(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var ledger = new LedgerRepository(db.Connections);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var (fund, wallet, _) = await AccountsAsync(db, ledger, customer.Id);
        await PostAsync(db, ledger, Journal(new(fund, -5_000, "JPY"), new(wallet, 5_000, "JPY")));
        var tampered = await PostAsync(db, ledger, Journal(new(fund, -7_000, "JPY"), new(wallet, 7_000, "JPY")));
        Assert.Empty(await ledger.FindUnbalancedJournalsAsync(CancellationToken.None));

        await db.ExecuteAsync("UPDATE ledger_postings SET amount = 70000 WHERE journal_id = @tampered AND amount > 0", new { tampered });

        Assert.Equal([tampered], await ledger.FindUnbalancedJournalsAsync(CancellationToken.None));
    }
}
