using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;

namespace ClaimsOffice.Database.Tests.Claims;

public sealed class ClaimRepositoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private static async Task<Claim> InsertClaimAsync(TestDatabase db, long customerId, long amount = 5_000)
    {
        var transaction = await new TransactionBuilder(customerId).Payment(amount).At(Now.AddHours(-1)).InsertAsync(db.Connections);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var claim = await new ClaimRepository(db.Connections).InsertAsync(
            new NewClaim(customerId, "Not me", amount, "JPY", Now, [new ClaimedTransaction(transaction.Id, amount)]), tx, CancellationToken.None);
        await tx.CommitAsync();
        return claim;
    }

    private static async Task<bool> MarkPaidAsync(TestDatabase db, long claimId, long amount, DateTimeOffset at)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var moved = await new ClaimRepository(db.Connections).MarkPaidAsync(claimId, at, amount, at, tx, CancellationToken.None);
        await tx.CommitAsync();
        return moved;
    }

    [DatabaseTheory]
    public async Task A_customer_finds_their_own_claim_by_number_but_not_someone_elses(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new ClaimRepository(db.Connections);
        var owner = await new CustomerBuilder().InsertAsync(db.Connections);
        var stranger = await new CustomerBuilder().InsertAsync(db.Connections);
        var claim = await InsertClaimAsync(db, owner.Id);

        var own = await repository.GetForCustomerAsync(owner.Id, claim.ClaimNumber, CancellationToken.None);
        var theirs = await repository.GetForCustomerAsync(stranger.Id, claim.ClaimNumber, CancellationToken.None);

        Assert.NotNull(own);
        Assert.Equal(claim.Id, own.Id);
        Assert.Equal(ClaimRepository.FormatNumber(2026, claim.Id), own.ClaimNumber);
        Assert.Null(theirs);
        Assert.Null(await repository.GetForCustomerAsync(owner.Id, "CLM-2026-999999", CancellationToken.None));
        Assert.Empty(await repository.ListForCustomerAsync(stranger.Id, CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task Only_a_submitted_claim_is_marked_paid_and_only_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new ClaimRepository(db.Connections);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var claim = await InsertClaimAsync(db, customer.Id, 5_000);
        var paidAt = Now.AddSeconds(3);

        Assert.True(await MarkPaidAsync(db, claim.Id, 5_000, paidAt));
        Assert.False(await MarkPaidAsync(db, claim.Id, 5_000, paidAt.AddMinutes(1)));

        var stored = await repository.GetAsync(claim.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(ClaimStatus.Paid, stored.Status);
        Assert.Equal(5_000, stored.PaidAmount);
        Assert.Equal(paidAt, stored.PaidAt);
        Assert.Equal(paidAt, stored.UpdatedAt);
    }

    [DatabaseTheory]
    public async Task A_claim_in_review_is_not_paid_by_the_machine(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new ClaimRepository(db.Connections);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var claim = await InsertClaimAsync(db, customer.Id);
        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        await using (var tx = await connection.BeginTransactionAsync())
        {
            Assert.True(await repository.MarkInReviewAsync(claim.Id, Now, Now.AddDays(14), tx, CancellationToken.None));
            await tx.CommitAsync();
        }

        Assert.False(await MarkPaidAsync(db, claim.Id, 5_000, Now.AddSeconds(5)));

        var stored = await repository.GetAsync(claim.Id, CancellationToken.None);
        Assert.Equal(ClaimStatus.InReview, stored!.Status);
        Assert.Equal(Now.AddDays(14), stored.DecisionDueAt);
        Assert.Null(stored.PaidAmount);
        Assert.Null(stored.PaidAt);
    }

    [DatabaseTheory]
    public async Task A_claim_is_read_with_its_transactions_in_one_go_as_apart(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new ClaimRepository(db.Connections);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        await InsertClaimAsync(db, customer.Id, 1_234);
        var claim = await InsertClaimAsync(db, customer.Id, 5_678);

        var (found, transactions) = await repository.GetWithTransactionsAsync(claim.Id, CancellationToken.None);
        var (missing, none) = await repository.GetWithTransactionsAsync(claim.Id + 1_000, CancellationToken.None);

        Assert.Equal(await repository.GetAsync(claim.Id, CancellationToken.None), found);
        Assert.Equal(await new TransactionRepository(db.Connections).GetForClaimAsync(claim.Id, CancellationToken.None), transactions);
        Assert.Equal(5_678, Assert.Single(transactions).Amount);
        Assert.Equal(claim.ClaimNumber, Assert.Single(transactions).LiveClaimNumber);
        Assert.Null(missing);
        Assert.Empty(none);
    }
}

