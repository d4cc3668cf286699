using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Ledger;
using ClaimsOffice.Database.Payouts;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;

namespace ClaimsOffice.Database.Tests.Payouts;

public sealed class PayoutRepositoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private sealed record Setup(Claim Claim, long Fund, long Wallet);

    private static async Task<Setup> SetupAsync(TestDatabase db)
    {
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var claim = await SubmittedClaims.InsertAsync(db.Connections, customer.Id, 8_000, Now);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var wallet = LedgerAccountKinds.WalletCode(customer.Id);
        var accounts = await new LedgerRepository(db.Connections).EnsureAccountsAsync(
        [
            new LedgerAccount(LedgerAccountKinds.CompensationFundCode, LedgerAccountKinds.CompensationFund, null, "JPY"),
            new LedgerAccount(wallet, LedgerAccountKinds.CustomerWallet, customer.Id, "JPY"),
        ], Now, tx, CancellationToken.None);
        await tx.CommitAsync();
        return new Setup(claim, accounts[LedgerAccountKinds.CompensationFundCode], accounts[wallet]);
    }

    private static async Task<Payout> PayAsync(TestDatabase db, Setup setup, long amount)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var payout = await new PayoutRepository(db.Connections).InsertWithJournalAsync(
            new Payout { ClaimId = setup.Claim.Id, Amount = amount, Currency = "JPY", PaidAt = Now },
            new LedgerJournal("claim-payout", setup.Claim.Id, "Compensation", Now, [new(setup.Fund, -amount, "JPY"), new(setup.Wallet, amount, "JPY")]),
            tx, CancellationToken.None);
        await tx.CommitAsync();
        return payout;
    }

    [DatabaseTheory]
    public async Task A_payout_is_written_with_its_journal_and_points_at_it(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var setup = await SetupAsync(db);
        var ledger = new LedgerRepository(db.Connections);

        var payout = await PayAsync(db, setup, 7_500);

        var stored = Assert.Single(await new PayoutRepository(db.Connections).ListForClaimAsync(setup.Claim.Id, CancellationToken.None));
        Assert.Equal(payout, stored);
        Assert.Equal((7_500L, "JPY", Now), (stored.Amount, stored.Currency, stored.PaidAt));
        Assert.Equal(1, await db.CountAsync("ledger_journals", "id = @JournalId AND kind = 'claim-payout' AND claim_id = @ClaimId", stored));
        Assert.Equal(2, await db.CountAsync("ledger_postings", "journal_id = @JournalId", stored));
        Assert.Equal(-7_500, await ledger.BalanceAsync(LedgerAccountKinds.CompensationFundCode, CancellationToken.None));
        Assert.Equal(7_500, await ledger.BalanceAsync(LedgerAccountKinds.WalletCode(setup.Claim.CustomerId), CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task A_second_payout_of_the_same_claim_fails_and_moves_no_money(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var setup = await SetupAsync(db);
        await PayAsync(db, setup, 8_000);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => PayAsync(db, setup, 8_000));

        Assert.True(db.Dialect.IsUniqueViolation(error), error.ToString());
        Assert.Single(await new PayoutRepository(db.Connections).ListForClaimAsync(setup.Claim.Id, CancellationToken.None));
        Assert.Equal(1, await db.CountAsync("ledger_journals"));
        Assert.Equal(8_000, await new LedgerRepository(db.Connections).BalanceAsync(LedgerAccountKinds.WalletCode(setup.Claim.CustomerId), CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task An_unbalanced_payout_journal_writes_nothing(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var setup = await SetupAsync(db);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => new PayoutRepository(db.Connections).InsertWithJournalAsync(
            new Payout { ClaimId = setup.Claim.Id, Amount = 8_000, Currency = "JPY", PaidAt = Now },
            new LedgerJournal("claim-payout", setup.Claim.Id, "Compensation", Now, [new(setup.Fund, -8_000, "JPY"), new(setup.Wallet, 7_999, "JPY")]),
            tx, CancellationToken.None));
        await tx.CommitAsync();

        Assert.Equal(0, await db.CountAsync("payouts"));
        Assert.Equal(0, await db.CountAsync("ledger_journals"));
    }

    private static LedgerTransfer Transfer(Claim claim, long customerId, long amount) => new(
        new LedgerAccount(LedgerAccountKinds.CompensationFundCode, LedgerAccountKinds.CompensationFund, null, "JPY"),
        new LedgerAccount(LedgerAccountKinds.WalletCode(customerId), LedgerAccountKinds.CustomerWallet, customerId, "JPY"),
        amount, "JPY", "claim-payout", claim.Id, "Compensation", Now);

    private static async Task<Payout> TransferAsync(TestDatabase db, Claim claim, long customerId, long amount)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var payout = await new PayoutRepository(db.Connections).InsertWithTransferAsync(
            new Payout { ClaimId = claim.Id, Amount = amount, Currency = "JPY", PaidAt = Now }, Transfer(claim, customerId, amount), tx, CancellationToken.None);
        await tx.CommitAsync();
        return payout;
    }

    [DatabaseTheory]
    public async Task A_transfer_payout_creates_missing_accounts_and_moves_the_money_with_its_journal(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var first = await SubmittedClaims.InsertAsync(db.Connections, customer.Id, 8_000, Now);
        var second = await SubmittedClaims.InsertAsync(db.Connections, customer.Id, 2_000, Now);
        var ledger = new LedgerRepository(db.Connections);

        var payout = await TransferAsync(db, first, customer.Id, 8_000);
        await TransferAsync(db, second, customer.Id, 2_000);

        var stored = Assert.Single(await new PayoutRepository(db.Connections).ListForClaimAsync(first.Id, CancellationToken.None));
        Assert.Equal(payout, stored);
        Assert.Equal(1, await db.CountAsync("ledger_journals", "id = @JournalId AND kind = 'claim-payout' AND claim_id = @ClaimId", stored));
        Assert.Equal(2, await db.CountAsync("ledger_postings", "journal_id = @JournalId", stored));
        Assert.Equal(2, await db.CountAsync("ledger_accounts"));
        Assert.Equal(-10_000, await ledger.BalanceAsync(LedgerAccountKinds.CompensationFundCode, CancellationToken.None));
        Assert.Equal(10_000, await ledger.BalanceAsync(LedgerAccountKinds.WalletCode(customer.Id), CancellationToken.None));
        Assert.Empty(await ledger.FindUnbalancedJournalsAsync(CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task A_transfer_payout_that_fails_creates_no_account_and_moves_no_money(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var claim = await SubmittedClaims.InsertAsync(db.Connections, customer.Id, 8_000, Now);
        var other = await new CustomerBuilder().InsertAsync(db.Connections);
        await TransferAsync(db, claim, customer.Id, 8_000);

        // The same claim paid again, into a wallet that does not exist yet: the payout's unique claim key refuses it
        // after the wallet's insert ran, and the rollback takes the wallet away with it.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TransferAsync(db, claim, other.Id, 8_000));

        Assert.True(db.Dialect.IsUniqueViolation(error), error.ToString());
        Assert.Equal(2, await db.CountAsync("ledger_accounts"));
        Assert.Equal(1, await db.CountAsync("ledger_journals"));
        Assert.Equal(-8_000, await new LedgerRepository(db.Connections).BalanceAsync(LedgerAccountKinds.CompensationFundCode, CancellationToken.None));
    }
}
