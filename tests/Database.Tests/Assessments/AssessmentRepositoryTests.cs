using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;

namespace ClaimsOffice.Database.Tests.Assessments;

public sealed class AssessmentRepositoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private static async Task<Claim> ClaimAsync(TestDatabase db) =>
        await SubmittedClaims.InsertAsync(db.Connections, (await new CustomerBuilder().InsertAsync(db.Connections)).Id, 1_000, Now);

    private static async Task<long> InsertAsync(TestDatabase db, Assessment assessment)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var id = await new AssessmentRepository(db.Connections).InsertAsync(assessment, tx, CancellationToken.None);
        await tx.CommitAsync();
        return id;
    }

    [DatabaseTheory]
    public async Task An_assessment_is_read_back_with_every_finding_in_the_order_written(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var claim = await ClaimAsync(db);
        AssessmentFinding[] findings =
        [
            new() { Rule = "zeta", Points = 30, Summary = "First written", Evidence = """{"n":1}""" },
            new() { Rule = "alpha", Points = -45, BlocksAutoPayout = true, Summary = "Second, blocks", Evidence = """{"n":2}""" },
            new() { Rule = "mid", Points = 0, Summary = "Third", Evidence = "{}" },
        ];

        var id = await InsertAsync(db, new Assessment
        {
            ClaimId = claim.Id, RuleSetVersion = "v-test", Outcome = AssessmentOutcome.Review, Score = -15, AssessedAt = Now, Findings = findings,
        });

        var stored = await new AssessmentRepository(db.Connections).GetLatestForClaimAsync(claim.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal((id, claim.Id, "v-test", AssessmentOutcome.Review, -15, Now), (stored.Id, stored.ClaimId, stored.RuleSetVersion, stored.Outcome, stored.Score, stored.AssessedAt));
        Assert.Equal(findings, stored.Findings);
    }

    [DatabaseTheory]
    public async Task An_assessment_without_findings_is_written_alone(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var claim = await ClaimAsync(db);

        await InsertAsync(db, new Assessment { ClaimId = claim.Id, RuleSetVersion = "v-test", Outcome = AssessmentOutcome.AutoApprove, Score = 0, AssessedAt = Now });

        var stored = await new AssessmentRepository(db.Connections).GetLatestForClaimAsync(claim.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(AssessmentOutcome.AutoApprove, stored.Outcome);
        Assert.Empty(stored.Findings);
        Assert.Equal(0, await db.CountAsync("assessment_findings"));
    }

    private static async Task<long?> InsertIfPaidAsync(TestDatabase db, Claim claim, Assessment assessment)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        var id = await new AssessmentRepository(db.Connections).InsertIfMovedAsync(
            ClaimRepository.MarkPaid(claim.Id, Now, claim.TotalAmount, Now), assessment, tx, CancellationToken.None);
        await tx.CommitAsync();
        return id;
    }

    [DatabaseTheory]
    public async Task Moving_a_submitted_claim_writes_its_new_state_and_the_assessment_with_its_findings(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var claim = await ClaimAsync(db);
        AssessmentFinding[] findings =
        [
            new() { Rule = "zeta", Points = 30, Summary = "First written", Evidence = """{"n":1}""" },
            new() { Rule = "alpha", Points = 20, Summary = "Second", Evidence = "{}" },
        ];

        var id = await InsertIfPaidAsync(db, claim, new Assessment
        {
            ClaimId = claim.Id, RuleSetVersion = "v-test", Outcome = AssessmentOutcome.AutoApprove, Score = 50, AssessedAt = Now, Findings = findings,
        });

        Assert.NotNull(id);
        var moved = await new ClaimRepository(db.Connections).GetAsync(claim.Id, CancellationToken.None);
        Assert.Equal((ClaimStatus.Paid, claim.TotalAmount), (moved!.Status, moved.PaidAmount));
        var stored = await new AssessmentRepository(db.Connections).GetLatestForClaimAsync(claim.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal((id.Value, AssessmentOutcome.AutoApprove, 50), (stored.Id, stored.Outcome, stored.Score));
        Assert.Equal(findings, stored.Findings);
    }

    [DatabaseTheory]
    public async Task A_claim_that_already_moved_on_gets_no_second_assessment(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var claim = await ClaimAsync(db);
        var first = new Assessment { ClaimId = claim.Id, RuleSetVersion = "v-test", Outcome = AssessmentOutcome.AutoApprove, Score = 50, AssessedAt = Now };
        Assert.NotNull(await InsertIfPaidAsync(db, claim, first));

        var second = await InsertIfPaidAsync(db, claim, first with
        {
            RuleSetVersion = "v-again",
            Findings = [new() { Rule = "late", Points = 1, Summary = "Must not be written", Evidence = "{}" }],
        });

        Assert.Null(second);
        Assert.Equal(1, await db.CountAsync("assessments"));
        Assert.Equal(0, await db.CountAsync("assessment_findings"));
        Assert.Equal("v-test", (await new AssessmentRepository(db.Connections).GetLatestForClaimAsync(claim.Id, CancellationToken.None))!.RuleSetVersion);
    }

    [DatabaseTheory]
    public async Task A_failed_assessment_insert_leaves_the_claim_submitted_once_the_transaction_rolls_back(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var claim = await ClaimAsync(db);

        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        await using (var tx = await connection.BeginTransactionAsync())
        {
            // The assessment's rule set version is NOT NULL: the insert fails after (or in the same statement as) the update.
            await Assert.ThrowsAnyAsync<Exception>(() => new AssessmentRepository(db.Connections).InsertIfMovedAsync(
                ClaimRepository.MarkPaid(claim.Id, Now, claim.TotalAmount, Now),
                new Assessment { ClaimId = claim.Id, RuleSetVersion = null!, Outcome = AssessmentOutcome.AutoApprove, Score = 50, AssessedAt = Now },
                tx, CancellationToken.None));
            await tx.RollbackAsync();
        }

        Assert.Equal(ClaimStatus.Submitted, (await new ClaimRepository(db.Connections).GetAsync(claim.Id, CancellationToken.None))!.Status);
        Assert.Equal(0, await db.CountAsync("assessments"));
    }
}
