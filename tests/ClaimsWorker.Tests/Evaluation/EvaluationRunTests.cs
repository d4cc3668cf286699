using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.RuleSets;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Evaluation;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Worker.Tests.Evaluation;

/// <summary>evaluate files labelled claims through the real intake and engine, and refuses a bad file whole.</summary>
public sealed class EvaluationRunTests
{
    private static EvaluationRun Run(EngineHost host, SimulatedClock clock) =>
        ActivatorUtilities.CreateInstance<EvaluationRun>(host.Services, clock);

    private static async Task<(Victim Victim, Victim Other)> TwoImportedCustomersAsync(TestDatabase db, DateTimeOffset now)
    {
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, now);
        var other = await Scenarios.BankLinkVictimAsync(db.Connections, now);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("UPDATE customers SET external_id = 'cust-' || CAST(id AS TEXT)");
        return (victim, other);
    }

    private static ClaimRow Row(int line, Victim who, IReadOnlyList<string> transactions, DateTimeOffset filedAt, string truth = ClaimTruth.Genuine) =>
        new(line, $"claim-{line}", $"cust-{who.Customer.Id}", filedAt, transactions, "not me", truth);

    [DatabaseTheory]
    public async Task A_claim_for_someone_elses_or_a_missing_transaction_is_reported_by_line_and_nothing_is_filed(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new SimulatedClock(FixedClock.DefaultStart);
        await using var host = EngineHost.Create(db, clock);
        var (victim, other) = await TwoImportedCustomersAsync(db, FixedClock.DefaultStart);
        var at = FixedClock.DefaultStart.AddMinutes(5);

        var result = await Run(host, clock).RunAsync(
            [Row(2, victim, victim.DisputedReferences, at), Row(3, victim, [other.DisputedReferences[0]], at), Row(4, victim, ["TX-NOPE"], at)],
            new EvaluationOptions(SkipBadRows: false, Part: null, Progress: _ => { }), CancellationToken.None);

        Assert.True(result.Refused);
        Assert.Equal(0, result.Filed);
        Assert.Contains(result.Errors, e => e.Line == 3 && e.Message.Contains("belongs to another customer", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 4 && e.Message.Contains("TX-NOPE does not exist", StringComparison.Ordinal));
        Assert.Empty(await host.GetRequiredService<ClaimRepository>().ListForCustomerAsync(victim.Customer.Id, CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task Good_claims_are_filed_at_their_time_assessed_and_scored_against_the_truth(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new SimulatedClock(FixedClock.DefaultStart);
        await using var host = EngineHost.Create(db, clock);
        var (victim, other) = await TwoImportedCustomersAsync(db, FixedClock.DefaultStart);
        var filedAt = FixedClock.DefaultStart.AddMinutes(7);

        var result = await Run(host, clock).RunAsync(
            [Row(2, victim, victim.DisputedReferences, filedAt), Row(3, other, other.DisputedReferences, filedAt.AddMinutes(1), ClaimTruth.False)],
            new EvaluationOptions(SkipBadRows: false, Part: null, Progress: _ => { }), CancellationToken.None);

        Assert.False(result.Refused);
        Assert.Equal(2, result.Filed);
        Assert.Equal(1, result.Score.Genuine);
        Assert.Equal(1, result.Score.False);
        // Both demo takeovers clear, so the "false" one counts as a false claim paid: the score reads the truth, the engine never did.
        Assert.Equal(100, result.Score.GenuineAutoPaid);
        Assert.Equal(100, result.Score.FalseAutoPaid);
        var claim = Assert.Single(await host.GetRequiredService<ClaimRepository>().ListForCustomerAsync(victim.Customer.Id, CancellationToken.None));
        Assert.Equal(filedAt, claim.SubmittedAt);
        Assert.Equal(ClaimStatus.Paid, claim.Status);
        var known = await host.GetRequiredService<RuleSetRepository>().ListKnownOutcomesAsync(CancellationToken.None);
        Assert.Equal(2, known.Count);
        Assert.Contains(known, k => k.ClaimId == claim.Id && k.Truth == ClaimTruth.Genuine && k.CustomerKey == $"cust-{victim.Customer.Id}");
        Assert.EndsWith("false_money_auto_paid=100.0%", result.Score.SummaryLine(), StringComparison.Ordinal);
        Assert.StartsWith("evaluate: genuine=1 genuine_auto_paid=100.0% false=1 false_auto_paid=100.0%", result.Score.SummaryLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_claims_file_with_bad_dates_truths_or_columns_reports_each_line()
    {
        const string csv = """
            claim_id,customer_id,filed_at,transaction_ids,description,truth
            c1,cust-1,2020-06-21T12:14:25Z,t1;t2,"I did not, really",genuine
            c2,cust-1,2020-06-21 12:14,t3,x,genuine
            c3,cust-1,2020-06-21T12:14:25+09:00,,x,maybe
            c1,cust-2,2020-06-21T12:14:25Z,t4,x,false
            """;

        var (rows, errors) = ClaimsFile.Read(new StringReader(csv));
        var (_, badHeader) = ClaimsFile.Read(new StringReader("claim_id,customer,filed_at\n"));

        var good = Assert.Single(rows);
        Assert.Equal(["t1", "t2"], good.TransactionIds);
        Assert.Equal("I did not, really", good.Description);
        Assert.Contains(errors, e => e.Line == 3 && e.Message.Contains("filed_at", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 4 && e.Message.Contains("transaction_ids is empty", StringComparison.Ordinal) && e.Message.Contains("truth 'maybe'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 5 && e.Message.Contains("appears twice", StringComparison.Ordinal));
        Assert.Contains("unknown: customer", Assert.Single(badHeader).Message, StringComparison.Ordinal);
    }
}
