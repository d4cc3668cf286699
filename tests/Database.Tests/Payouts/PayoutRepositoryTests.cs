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
}
