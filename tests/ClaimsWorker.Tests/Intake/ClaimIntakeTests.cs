using ClaimsOffice.Database;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Intake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClaimsOffice.Worker.Tests.Intake;

public sealed class ClaimIntakeTests
{
    private const string Description = "Two payments at a shop I have never been to.";

    private static Task<FileClaimResult> FileAsync(EngineHost host, long customerId, IReadOnlyList<string> references, string? description = Description) =>
        host.GetRequiredService<ClaimIntake>().FileAsync(new FileClaimRequest(customerId, references, description), CancellationToken.None);

    [DatabaseTheory]
    public async Task A_valid_claim_is_stored_acknowledged_and_handed_to_the_assessment_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, clock.GetUtcNow());

        var result = await FileAsync(host, victim.Customer.Id, victim.DisputedReferences);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Errors);
        var claim = result.Claim!;
        Assert.Matches(@"^CLM-2026-\d{6}$", claim.ClaimNumber);
        var stored = await host.GetRequiredService<ClaimRepository>().GetAsync(claim.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(ClaimStatus.Submitted, stored.Status);
        Assert.Equal(claim.ClaimNumber, stored.ClaimNumber);
        Assert.Equal(victim.DisputedTotal, stored.TotalAmount);
        Assert.Equal("JPY", stored.Currency);
        Assert.Equal(Description, stored.Description);
        Assert.Equal(clock.GetUtcNow(), stored.SubmittedAt);
        var inClaim = await host.GetRequiredService<TransactionRepository>().GetForClaimAsync(claim.Id, CancellationToken.None);
        Assert.Equal(victim.DisputedReferences.Order(), inClaim.Select(t => t.Reference).Order());
        Assert.All(inClaim, t => Assert.Equal(claim.ClaimNumber, t.LiveClaimNumber));

        Assert.Equal([claim.Id], host.Queue.Enqueued);
        var audit = Assert.Single(await host.GetRequiredService<AuditLog>().ListForEntityAsync("claim", claim.ClaimNumber, CancellationToken.None));
        Assert.Equal("claim.submitted", audit.Action);
        Assert.Equal($"customer:{victim.Customer.Id}", audit.Actor);
        var message = Assert.Single(await host.GetRequiredService<OutboxRepository>().ListForCustomerAsync(victim.Customer.Id, CancellationToken.None));
        Assert.Equal($"We received your claim {claim.ClaimNumber}", message.Subject);
        Assert.Contains($"¥{victim.DisputedTotal:#,0}", message.Body, StringComparison.Ordinal);
    }

    [DatabaseTheory]
    public async Task Claim_numbers_are_readable_and_distinct(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var first = await new TransactionBuilder(customer.Id).At(clock.GetUtcNow().AddHours(-1)).InsertAsync(db.Connections);
        var second = await new TransactionBuilder(customer.Id).At(clock.GetUtcNow().AddHours(-1)).InsertAsync(db.Connections);

        var a = await FileAsync(host, customer.Id, [first.Reference]);
        var b = await FileAsync(host, customer.Id, [second.Reference]);

        Assert.Matches(@"^CLM-2026-\d{6}$", a.Claim!.ClaimNumber);
        Assert.Matches(@"^CLM-2026-\d{6}$", b.Claim!.ClaimNumber);
        Assert.NotEqual(a.Claim.ClaimNumber, b.Claim.ClaimNumber);
        Assert.Equal([a.Claim.Id, b.Claim.Id], host.Queue.Enqueued);
    }

    public enum BadInput
    {
        NoTransactions,
        EmptyDescription,
        DescriptionTooLong,
        UnknownReference,
        SomeoneElsesTransaction,
        IncomingTransaction,
        AlreadyInALiveClaim,
    }

    [DatabaseTheory]
    public async Task Bad_input_gets_a_clear_message_and_changes_nothing(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var now = clock.GetUtcNow();
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var someoneElse = await new CustomerBuilder().InsertAsync(db.Connections);
        var payment = await new TransactionBuilder(customer.Id).Payment(4_000).At(now.AddHours(-2)).InsertAsync(db.Connections);
        var incoming = await new TransactionBuilder(customer.Id).Kind(TransactionKinds.TransferIn).Amount(3_000).At(now.AddHours(-2)).InsertAsync(db.Connections);
        var theirs = await new TransactionBuilder(someoneElse.Id).Payment(2_000).At(now.AddHours(-2)).InsertAsync(db.Connections);
        var claimed = await new TransactionBuilder(customer.Id).Payment(7_000).At(now.AddHours(-2)).InsertAsync(db.Connections);
        var existing = (await FileAsync(host, customer.Id, [claimed.Reference])).Claim!;

        var cases = new (BadInput Case, IReadOnlyList<string> References, string? Description, string Message)[]
        {
            (BadInput.NoTransactions, [], Description, "Choose at least one transaction you did not make."),
            (BadInput.NoTransactions, ["  ", ""], Description, "Choose at least one transaction you did not make."),
            (BadInput.EmptyDescription, [payment.Reference], "   ", "Tell us briefly what happened."),
            (BadInput.EmptyDescription, [payment.Reference], null, "Tell us briefly what happened."),
            (BadInput.DescriptionTooLong, [payment.Reference], new string('x', ClaimIntake.MaxDescriptionLength + 1), "Keep the description under 2000 characters (it has 2001)."),
            (BadInput.UnknownReference, ["TX-DOES-NOT-EXIST"], Description, "Transaction TX-DOES-NOT-EXIST is not one of your transactions."),
            (BadInput.SomeoneElsesTransaction, [theirs.Reference], Description, $"Transaction {theirs.Reference} is not one of your transactions."),
            (BadInput.IncomingTransaction, [incoming.Reference], Description, $"Transaction {incoming.Reference} brought money in; only payments, transfers and bank top-ups can be disputed."),
            (BadInput.AlreadyInALiveClaim, [payment.Reference, claimed.Reference], Description, $"Transaction {claimed.Reference} is already in claim {existing.ClaimNumber}."),
        };
        var before = await db.CountClaimTablesAsync();
        var enqueuedBefore = host.Queue.Enqueued.Count;

        foreach (var (badInput, references, description, message) in cases)
        {
            var result = await FileAsync(host, customer.Id, references, description);

            Assert.False(result.Succeeded, badInput.ToString());
            Assert.Null(result.Claim);
            Assert.Contains(result.Errors, e => e.Message == message);
            Assert.Equal(before, await db.CountClaimTablesAsync());
        }
        Assert.Equal(enqueuedBefore, host.Queue.Enqueued.Count);
    }

    [DatabaseTheory]
    public async Task Someone_elses_transaction_is_reported_exactly_like_a_missing_one(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var host = EngineHost.Create(db, new FixedClock());
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var other = await new CustomerBuilder().InsertAsync(db.Connections);
        var theirs = await new TransactionBuilder(other.Id).InsertAsync(db.Connections);
        const string Missing = "TX-TNOSUCHREF0000";

        var foreign = await FileAsync(host, customer.Id, [theirs.Reference]);
        var missing = await FileAsync(host, customer.Id, [Missing]);

        var foreignError = Assert.Single(foreign.Errors);
        var missingError = Assert.Single(missing.Errors);
        Assert.Equal(missingError.Field, foreignError.Field);
        Assert.Equal(missingError.Message.Replace(Missing, "REF", StringComparison.Ordinal), foreignError.Message.Replace(theirs.Reference, "REF", StringComparison.Ordinal));
    }

    /// <summary>
    /// A double click or two tabs: two filings of one transaction (two portal processes here), both of which have
    /// checked that the transaction is in no live claim before either writes (each is held after its check until
    /// the other has made its own). One claim is made; the other victim sees a message, and nothing else is written.
    /// </summary>
    [DatabaseTheory]
    public async Task Filing_the_same_transaction_twice_at_once_makes_one_claim(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var firstConnections = new GatedConnectionFactory(db.Connections);
        var secondConnections = new GatedConnectionFactory(db.Connections);
        await using var first = EngineHost.Create(db, new FixedClock(), s => s.Replace(ServiceDescriptor.Singleton<IDbConnectionFactory>(firstConnections)));
        await using var second = EngineHost.Create(db, new FixedClock(), s => s.Replace(ServiceDescriptor.Singleton<IDbConnectionFactory>(secondConnections)));
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var payment = await new TransactionBuilder(customer.Id).InsertAsync(db.Connections);
        // Connection 1 reads the transactions for the check; connection 2 writes the claim.
        var gate = new RaceGate(2);
        firstConnections.Arm(gate, holdAtOpen: 2);
        secondConnections.Arm(gate, holdAtOpen: 2);

        var results = await Task.WhenAll(
            Task.Run(() => FileAsync(first, customer.Id, [payment.Reference])),
            Task.Run(() => FileAsync(second, customer.Id, [payment.Reference])));

        Assert.Equal(2, gate.Arrived);
        var made = Assert.Single(results, r => r.Succeeded);
        var refused = Assert.Single(results, r => !r.Succeeded);
        var error = Assert.Single(refused.Errors);
        Assert.Equal("TransactionReferences", error.Field);
        Assert.Equal("One of these transactions was just put in another claim. Check your claims.", error.Message);
        Assert.Equal(1, await db.CountAsync("claims"));
        Assert.Equal(1, await db.CountAsync("claim_transactions"));
        Assert.Equal(1, await db.CountAsync("outbox_messages"));
        Assert.Equal(1, await db.CountAsync("audit_log"));
        Assert.Equal([made.Claim!.Id], first.Queue.Enqueued.Concat(second.Queue.Enqueued));
    }
}
