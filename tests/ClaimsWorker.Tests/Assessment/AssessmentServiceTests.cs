using ClaimsOffice.Database;
using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Ledger;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Database.Payouts;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Intake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClaimsOffice.Worker.Tests.Assessment;

public sealed class AssessmentServiceTests
{
    private static async Task<Claim> FileAsync(EngineHost host, Victim victim)
    {
        var result = await host.GetRequiredService<ClaimIntake>().FileAsync(
            new FileClaimRequest(victim.Customer.Id, victim.DisputedReferences, "I did not make these payments."), CancellationToken.None);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Claim!;
    }

    [DatabaseTheory]
    public async Task A_credential_stuffing_victim_is_paid_at_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var ledger = host.GetRequiredService<LedgerRepository>();
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, clock.GetUtcNow());
        var claim = await FileAsync(host, victim);
        var wallet = LedgerAccountKinds.WalletCode(victim.Customer.Id);
        var fundBefore = await ledger.BalanceAsync(LedgerAccountKinds.CompensationFundCode, CancellationToken.None);
        var walletBefore = await ledger.BalanceAsync(wallet, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));

        var result = await host.GetRequiredService<AssessmentService>().AssessAsync(claim.Id, CancellationToken.None);

        Assert.Equal(AssessmentResult.Paid, result);
        var stored = await host.GetRequiredService<ClaimRepository>().GetAsync(claim.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(ClaimStatus.Paid, stored.Status);
        Assert.Equal(victim.DisputedTotal, stored.TotalAmount);
        Assert.Equal(victim.DisputedTotal, stored.PaidAmount);
        Assert.Equal(clock.GetUtcNow(), stored.PaidAt);
        Assert.Equal(clock.GetUtcNow(), stored.AssessedAt);

        var payout = Assert.Single(await host.GetRequiredService<PayoutRepository>().ListForClaimAsync(claim.Id, CancellationToken.None));
        Assert.Equal(victim.DisputedTotal, payout.Amount);
        Assert.Equal("JPY", payout.Currency);
        Assert.Equal(fundBefore - victim.DisputedTotal, await ledger.BalanceAsync(LedgerAccountKinds.CompensationFundCode, CancellationToken.None));
        Assert.Equal(walletBefore + victim.DisputedTotal, await ledger.BalanceAsync(wallet, CancellationToken.None));
        Assert.Empty(await ledger.FindUnbalancedJournalsAsync(CancellationToken.None));

        var messages = await host.GetRequiredService<OutboxRepository>().ListForCustomerAsync(victim.Customer.Id, CancellationToken.None);
        var paid = Assert.Single(messages, m => m.Subject.StartsWith("Reimbursed", StringComparison.Ordinal));
        Assert.Equal(NotificationChannels.InApp, paid.Channel);
        Assert.Equal($"Reimbursed ¥{victim.DisputedTotal:#,0}", paid.Subject);
        Assert.Contains(claim.ClaimNumber, paid.Body, StringComparison.Ordinal);
        Assert.Contains("2 s after you reported it", paid.Body, StringComparison.Ordinal);

        var assessment = await host.GetRequiredService<AssessmentRepository>().GetLatestForClaimAsync(claim.Id, CancellationToken.None);
        Assert.NotNull(assessment);
        Assert.Equal(RuleSet.Default.Version, assessment.RuleSetVersion);
        Assert.Equal(AssessmentOutcome.AutoApprove, assessment.Outcome);
        Assert.Equal(assessment.Findings.Sum(f => f.Points), assessment.Score);
        Assert.Contains(assessment.Findings, f => f.Rule == "shared-device-or-ip" && f.Points > 0 && f.Evidence.Contains("accounts_on_device", StringComparison.Ordinal));
        Assert.Contains(assessment.Findings, f => f.Rule == "new-device");
        Assert.All(assessment.Findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Summary)));

        var audit = host.GetRequiredService<AuditLog>();
        await audit.SealPendingAsync(CancellationToken.None);
        Assert.Null(await audit.FindFirstBrokenEntryAsync(CancellationToken.None));
        var actions = (await audit.ListForEntityAsync("claim", claim.ClaimNumber, CancellationToken.None)).Select(e => e.Action).ToList();
        Assert.Equal(["claim.submitted", "claim.assessed", "claim.paid"], actions);
    }

    [DatabaseTheory]
    public async Task A_bank_link_victim_is_paid_at_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var victim = await Scenarios.BankLinkVictimAsync(db.Connections, clock.GetUtcNow());
        var claim = await FileAsync(host, victim);

        var result = await host.GetRequiredService<AssessmentService>().AssessAsync(claim.Id, CancellationToken.None);

        Assert.Equal(AssessmentResult.Paid, result);
        var stored = await host.GetRequiredService<ClaimRepository>().GetAsync(claim.Id, CancellationToken.None);
        Assert.Equal(ClaimStatus.Paid, stored!.Status);
        // ¥50,000 pulled from the bank and ¥48,000 of it spent by the thief is one loss of ¥48,000, not ¥98,000.
        Assert.Equal(48_000, stored.PaidAmount);
        Assert.Equal(48_000, await host.GetRequiredService<LedgerRepository>()
            .BalanceAsync(LedgerAccountKinds.WalletCode(victim.Customer.Id), CancellationToken.None));
        var assessment = await host.GetRequiredService<AssessmentRepository>().GetLatestForClaimAsync(claim.Id, CancellationToken.None);
        Assert.Contains(assessment!.Findings, f => f.Rule == "bank-linked-before");
    }

    [DatabaseTheory]
    public async Task A_customer_disputing_their_own_payment_goes_to_review_with_a_deadline_and_no_money(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var victim = await Scenarios.OwnPaymentDisputerAsync(db.Connections, clock.GetUtcNow());
        var claim = await FileAsync(host, victim);
        clock.Advance(TimeSpan.FromSeconds(3));

        var result = await host.GetRequiredService<AssessmentService>().AssessAsync(claim.Id, CancellationToken.None);

        Assert.Equal(AssessmentResult.InReview, result);
        var stored = await host.GetRequiredService<ClaimRepository>().GetAsync(claim.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(ClaimStatus.InReview, stored.Status);
        // Ten business days (Regulation E): reported Saturday 2026-11-21 18:30 in Tokyo, due Friday 2026-12-04 18:30 there.
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 9, 30, 0, TimeSpan.Zero), stored.DecisionDueAt);
        Assert.Null(stored.PaidAmount);
        Assert.Null(stored.PaidAt);
        Assert.Empty(await host.GetRequiredService<PayoutRepository>().ListForClaimAsync(claim.Id, CancellationToken.None));
        Assert.Equal(0, await db.CountAsync("ledger_journals"));
        Assert.Equal(0, await host.GetRequiredService<LedgerRepository>().BalanceAsync(LedgerAccountKinds.WalletCode(victim.Customer.Id), CancellationToken.None));

        var assessment = await host.GetRequiredService<AssessmentRepository>().GetLatestForClaimAsync(claim.Id, CancellationToken.None);
        Assert.NotNull(assessment);
        Assert.Equal(AssessmentOutcome.Review, assessment.Outcome);
        Assert.Contains(assessment.Findings, f => f.Rule == "trusted-device" && f.BlocksAutoPayout);

        var messages = await host.GetRequiredService<OutboxRepository>().ListForCustomerAsync(victim.Customer.Id, CancellationToken.None);
        var review = Assert.Single(messages, m => m.Subject == $"Your claim {claim.ClaimNumber} is in review");
        Assert.Contains("decide by 2026-12-04", review.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(messages, m => m.Subject.StartsWith("Reimbursed", StringComparison.Ordinal));

        var audit = host.GetRequiredService<AuditLog>();
        await audit.SealPendingAsync(CancellationToken.None);
        Assert.Null(await audit.FindFirstBrokenEntryAsync(CancellationToken.None));
        var actions = (await audit.ListForEntityAsync("claim", claim.ClaimNumber, CancellationToken.None)).Select(e => e.Action).ToList();
        Assert.Equal(["claim.submitted", "claim.assessed", "claim.sent-to-review"], actions);
    }

    [DatabaseTheory]
    public async Task Assessing_a_claim_again_changes_nothing(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, clock.GetUtcNow());
        var claim = await FileAsync(host, victim);
        var service = host.GetRequiredService<AssessmentService>();
        Assert.Equal(AssessmentResult.Paid, await service.AssessAsync(claim.Id, CancellationToken.None));
        var before = await db.CountClaimTablesAsync();
        var claimBefore = await host.GetRequiredService<ClaimRepository>().GetAsync(claim.Id, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));

        var again = await service.AssessAsync(claim.Id, CancellationToken.None);

        Assert.Equal(AssessmentResult.AlreadyAssessed, again);
        Assert.Equal(before, await db.CountClaimTablesAsync());
        Assert.Equal(claimBefore, await host.GetRequiredService<ClaimRepository>().GetAsync(claim.Id, CancellationToken.None));
        Assert.Equal(victim.DisputedTotal, await host.GetRequiredService<LedgerRepository>()
            .BalanceAsync(LedgerAccountKinds.WalletCode(victim.Customer.Id), CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task An_unknown_claim_is_reported_as_not_found(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var host = EngineHost.Create(db, new FixedClock());

        Assert.Equal(AssessmentResult.NotFound, await host.GetRequiredService<AssessmentService>().AssessAsync(987_654, CancellationToken.None));
        Assert.Equal(0, await db.CountAsync("assessments"));
    }

    /// <summary>
    /// The double-pay test: two workers (separate service providers, separate connections) assess the same
    /// claim, and both have read it as Submitted before either writes (each is held after its status check
    /// until the other has made its own). Exactly one of them pays; the money moves once.
    /// </summary>
    [DatabaseTheory]
    public async Task Two_workers_assessing_the_same_claim_at_the_same_time_pay_it_once(DatabaseKind kind)
    {
        const int Rounds = 10;
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        var firstConnections = new GatedConnectionFactory(db.Connections);
        var secondConnections = new GatedConnectionFactory(db.Connections);
        await using var first = EngineHost.Create(db, clock, s => s.Replace(ServiceDescriptor.Singleton<IDbConnectionFactory>(firstConnections)));
        await using var second = EngineHost.Create(db, clock, s => s.Replace(ServiceDescriptor.Singleton<IDbConnectionFactory>(secondConnections)));
        var claims = new List<(Claim Claim, Victim Victim)>();
        for (var i = 0; i < Rounds; i++)
        {
            var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, clock.GetUtcNow(), amountPerPayment: 1_000 + i);
            claims.Add((await FileAsync(first, victim), victim));
        }
        var a = first.GetRequiredService<AssessmentService>();
        var b = second.GetRequiredService<AssessmentService>();

        foreach (var (claim, _) in claims)
        {
            // Connection 1 reads the claim for the status check; connection 2 is the first step after it.
            var gate = new RaceGate(2);
            firstConnections.Arm(gate, holdAtOpen: 2);
            secondConnections.Arm(gate, holdAtOpen: 2);
            var results = await Task.WhenAll(
                Task.Run(() => a.AssessAsync(claim.Id, CancellationToken.None)),
                Task.Run(() => b.AssessAsync(claim.Id, CancellationToken.None)));

            Assert.Equal(2, gate.Arrived);

            Assert.Equal([AssessmentResult.Paid, AssessmentResult.AlreadyAssessed], results.OrderBy(r => r == AssessmentResult.Paid ? 0 : 1));
        }

        var ledger = first.GetRequiredService<LedgerRepository>();
        foreach (var (claim, victim) in claims)
        {
            Assert.Equal(1, await db.CountAsync("payouts", "claim_id = @id", new { id = claim.Id }));
            Assert.Equal(1, await db.CountAsync("ledger_journals", "kind = 'claim-payout' AND claim_id = @id", new { id = claim.Id }));
            Assert.Equal(1, await db.CountAsync("assessments", "claim_id = @id", new { id = claim.Id }));
            Assert.Equal(1, await db.CountAsync("outbox_messages", "dedupe_key = @key", new { key = $"claim:{claim.Id}:paid" }));
            Assert.Equal(victim.DisputedTotal, await ledger.BalanceAsync(LedgerAccountKinds.WalletCode(victim.Customer.Id), CancellationToken.None));
            var stored = await first.GetRequiredService<ClaimRepository>().GetAsync(claim.Id, CancellationToken.None);
            Assert.Equal(ClaimStatus.Paid, stored!.Status);
            Assert.Equal(victim.DisputedTotal, stored.PaidAmount);
        }
        Assert.Equal(-claims.Sum(c => c.Victim.DisputedTotal), await ledger.BalanceAsync(LedgerAccountKinds.CompensationFundCode, CancellationToken.None));
        Assert.Empty(await ledger.FindUnbalancedJournalsAsync(CancellationToken.None));
        await first.GetRequiredService<AuditLog>().SealPendingAsync(CancellationToken.None);
        Assert.Null(await first.GetRequiredService<AuditLog>().FindFirstBrokenEntryAsync(CancellationToken.None));
        Assert.Equal(Rounds, await db.CountAsync("audit_log", "action = 'claim.paid'"));
    }
}
