using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Review;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using Dapper;

namespace ClaimsOffice.Database.Tests.Review;

public sealed class ReviewQueueRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = FixedClock.DefaultStart;

    /// <summary>Claims with many ties: three scores, two deadlines, so only the id separates most neighbours.</summary>
    private static async Task<List<Claim>> SeedTiesAsync(TestDatabase db, int count)
    {
        var claims = new List<Claim>();
        for (var i = 0; i < count; i++)
        {
            claims.Add(await new ClaimInReviewBuilder()
                .Score(10 * (i % 3))
                .DueAt(Now.AddHours(i % 2 == 0 ? 5 : 30))
                .SubmittedAt(Now.AddDays(-(i % 7)))
                .Disputing(1_000 * (i + 1))
                .InsertAsync(db.Connections));
        }
        return claims;
    }

    private static async Task<List<QueueRow>> AllPagesAsync(ReviewQueueRepository queue, QueueFilter filter, int pageSize)
    {
        var rows = new List<QueueRow>();
        QueueCursor? cursor = null;
        do
        {
            var page = await queue.PageAsync(filter, cursor, pageSize, None);
            Assert.True(page.Rows.Count <= pageSize);
            rows.AddRange(page.Rows);
            cursor = page.Next;
        }
        while (cursor is not null);
        return rows;
    }

    [DatabaseTheory]
    public async Task Keyset_pages_walk_the_whole_queue_in_order_without_duplicates_or_gaps(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var claims = await SeedTiesAsync(db, 23);
        var queue = new ReviewQueueRepository(db.Connections);

        var rows = await AllPagesAsync(queue, new QueueFilter(), pageSize: 4);

        Assert.Equal(claims.Select(c => c.Id).Order(), rows.Select(r => r.Id).Order());
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
        var expected = rows.OrderByDescending(r => r.RiskScore).ThenBy(r => r.NextDueAt).ThenBy(r => r.Id).Select(r => r.Id);
        Assert.Equal(expected, rows.Select(r => r.Id));
        Assert.Equal(20, rows[0].RiskScore);
    }

    [DatabaseTheory]
    public async Task Filters_narrow_every_page_and_counts_split_by_state_and_deadline(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var claims = await SeedTiesAsync(db, 12);
        var agent = await new StaffMemberBuilder().Agent().InsertAsync(db.Connections);
        await using (var c = await db.Connections.OpenAsync(None))
        {
            foreach (var claim in claims.Take(3))
            {
                await c.ExecuteAsync("UPDATE claims SET assigned_to = @agent WHERE id = @id", new { agent, id = claim.Id });
            }
            await c.ExecuteAsync("UPDATE claims SET status = 'Escalated' WHERE id = @id", new { id = claims[5].Id });
            await c.ExecuteAsync("UPDATE claims SET status = 'Paid' WHERE id = @id", new { id = claims[6].Id });
        }
        var queue = new ReviewQueueRepository(db.Connections);

        var mine = await AllPagesAsync(queue, new QueueFilter { AssignedTo = agent }, 2);
        var escalated = await AllPagesAsync(queue, new QueueFilter { Status = ReviewStatus.Escalated }, 2);
        var midAmounts = await AllPagesAsync(queue, new QueueFilter { MinAmount = 3_000, MaxAmount = 6_000 }, 2);
        var old = await AllPagesAsync(queue, new QueueFilter { SubmittedBefore = Now.AddDays(-3) }, 2);
        var unassigned = await AllPagesAsync(queue, new QueueFilter { UnassignedOnly = true }, 5);

        Assert.Equal(claims.Take(3).Select(c => c.Id).Order(), mine.Select(r => r.Id).Order());
        Assert.All(mine, r => Assert.Equal("Test Agent", r.AssignedToName));
        Assert.Equal(claims[5].Id, Assert.Single(escalated).Id);
        // Claim 7 (¥7,000) is paid: it left the queue.
        Assert.Equal(new long[] { 3_000, 4_000, 5_000, 6_000 }, midAmounts.Select(r => r.TotalAmount).Order());
        Assert.All(old, r => Assert.True(r.SubmittedAt <= Now.AddDays(-3)));
        Assert.Equal(claims.Count(c => c.SubmittedAt <= Now.AddDays(-3) && c.Id != claims[6].Id), old.Count);
        Assert.Equal(8, unassigned.Count);

        var counts = await queue.CountAsync(Now, TimeSpan.FromHours(6), None);
        Assert.Equal(10, counts.ByStatus[ReviewStatus.InReview]);
        Assert.Equal(1, counts.ByStatus[ReviewStatus.Escalated]);
        Assert.Equal(11, counts.Total);
        Assert.Equal(new BoundedCount(0, false), counts.Overdue);
        // Due in 5 hours: the even-numbered claims still open (0, 2, 4, 8, 10; 6 is paid).
        Assert.Equal(new BoundedCount(5, false), counts.DueSoon);
        Assert.Equal(new BoundedCount(5, false), (await queue.CountAsync(Now.AddHours(7), TimeSpan.FromHours(1), None)).Overdue);
    }

    /// <summary>The counts per state as a full count over the claims: what the counts table must always agree with.</summary>
    private static async Task<Dictionary<string, long>> CountByHandAsync(TestDatabase db)
    {
        await using var c = await db.Connections.OpenAsync(None);
        var found = (await c.QueryAsync<(string Status, long N)>($"SELECT status, COUNT(*) FROM claims WHERE status IN {ReviewStatus.OpenSqlList} GROUP BY status"))
            .ToDictionary(r => r.Status, r => r.N, StringComparer.Ordinal);
        return ReviewStatus.Open.ToDictionary(s => s, s => found.GetValueOrDefault(s), StringComparer.Ordinal);
    }

    [DatabaseTheory]
    public async Task Counts_per_state_follow_every_change_of_state_whichever_way_it_is_made(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var claims = await SeedTiesAsync(db, 9);
        var queue = new ReviewQueueRepository(db.Connections);
        var review = new ClaimReviewRepository(db.Connections);
        Assert.Equal(9, (await queue.CountAsync(Now, TimeSpan.FromHours(1), None)).ByStatus[ReviewStatus.InReview]);

        await using (var c = await db.Connections.OpenAsync(None))
        {
            // Through the guarded change the review engine uses, into and between open states and out of the queue.
            async Task MoveAsync(long id, IReadOnlyList<string> from, string to)
            {
                await using var tx = await c.BeginTransactionAsync(None);
                Assert.True(await review.TryTransitionAsync(new ClaimTransition { ClaimId = id, From = from, To = to, Now = Now }, tx, None));
                await tx.CommitAsync(None);
            }
            await MoveAsync(claims[0].Id, [ReviewStatus.InReview], ReviewStatus.Escalated);
            await MoveAsync(claims[1].Id, [ReviewStatus.InReview], ReviewStatus.AwaitingInformation);
            await MoveAsync(claims[2].Id, [ReviewStatus.InReview], ReviewStatus.AwaitingApproval);
            await MoveAsync(claims[2].Id, [ReviewStatus.AwaitingApproval], ReviewStatus.Paid);
            await MoveAsync(claims[3].Id, [ReviewStatus.InReview], ReviewStatus.Rejected);
            // A change that is refused (wrong state) changes no count.
            await using (var tx = await c.BeginTransactionAsync(None))
            {
                Assert.False(await review.TryTransitionAsync(new ClaimTransition { ClaimId = claims[3].Id, From = [ReviewStatus.InReview], To = ReviewStatus.Escalated, Now = Now }, tx, None));
                await tx.CommitAsync(None);
            }
            // A change rolled back leaves the counts as they were.
            await using (var tx = await c.BeginTransactionAsync(None))
            {
                await c.ExecuteAsync("UPDATE claims SET status = 'Escalated' WHERE id = @id", new { id = claims[4].Id }, tx);
                await tx.RollbackAsync(None);
            }
            // Plain SQL, several rows at once, and a deletion.
            await c.ExecuteAsync("UPDATE claims SET status = 'Escalated' WHERE id IN (@a, @b)", new { a = claims[5].Id, b = claims[6].Id });
            await c.ExecuteAsync("UPDATE claims SET description = 'edited' WHERE id = @id", new { id = claims[7].Id });
            await c.ExecuteAsync("DELETE FROM assessment_findings WHERE assessment_id IN (SELECT id FROM assessments WHERE claim_id = @id)", new { id = claims[8].Id });
            await c.ExecuteAsync("DELETE FROM assessments WHERE claim_id = @id", new { id = claims[8].Id });
            await c.ExecuteAsync("DELETE FROM claim_transactions WHERE claim_id = @id", new { id = claims[8].Id });
            await c.ExecuteAsync("DELETE FROM claims WHERE id = @id", new { id = claims[8].Id });
        }

        var counts = await queue.CountAsync(Now, TimeSpan.FromHours(1), None);
        Assert.Equal(await CountByHandAsync(db), counts.ByStatus);
        Assert.Equal((2L, 1L, 3L, 0L), (counts.ByStatus[ReviewStatus.InReview], counts.ByStatus[ReviewStatus.AwaitingInformation],
            counts.ByStatus[ReviewStatus.Escalated], counts.ByStatus[ReviewStatus.AwaitingApproval]));
    }

    [DatabaseTheory]
    public async Task Overdue_stops_counting_at_the_cap_while_states_stay_exact_after_a_bulk_insert(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var victim = await new CustomerBuilder().InsertAsync(db.Connections);
        const int many = ReviewQueueRepository.DueCountCap + 5;
        await using (var c = await db.Connections.OpenAsync(None))
        {
            // One statement inserting many claims in review (as an import or the queue bench's COPY would).
            await c.ExecuteAsync($"""
                WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {many})
                INSERT INTO claims (claim_number, customer_id, status, description, total_amount, currency, submitted_at, next_due_at, updated_at)
                SELECT 'BULK-' || i, @victim, CASE WHEN i % 5 = 0 THEN 'Escalated' ELSE 'InReview' END, 'bulk', 1000, 'JPY', @at, @due, @at FROM n
                """, new { victim = victim.Id, at = Now.AddDays(-3), due = Now.AddHours(-1) });
        }
        var queue = new ReviewQueueRepository(db.Connections);

        var counts = await queue.CountAsync(Now, TimeSpan.FromHours(4), None);

        Assert.Equal(await CountByHandAsync(db), counts.ByStatus);
        Assert.Equal(many, counts.Total);
        Assert.Equal(new BoundedCount(ReviewQueueRepository.DueCountCap, true), counts.Overdue);
        Assert.Equal("1,000+", counts.Overdue.ToString());
        Assert.Equal(new BoundedCount(0, false), counts.DueSoon);
    }

    [DatabaseTheory]
    public async Task Of_two_agents_who_both_read_the_claim_before_either_writes_exactly_one_takes_it(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var claim = await new ClaimInReviewBuilder().InsertAsync(db.Connections);
        var a = await new StaffMemberBuilder().Agent().InsertAsync(db.Connections);
        var b = await new StaffMemberBuilder().Agent().InsertAsync(db.Connections);
        var repository = new ClaimReviewRepository(db.Connections);
        // Both read the claim first: both see it unassigned at version 0.
        var seenByA = await repository.GetAsync(claim.Id, None);
        var seenByB = await repository.GetAsync(claim.Id, None);
        Assert.Equal((0, (long?)null), (seenByA!.Version, seenByA.AssignedTo));
        Assert.Equal((0, (long?)null), (seenByB!.Version, seenByB.AssignedTo));

        await using var connectionA = await db.Connections.OpenAsync(None);
        await using var txA = await connectionA.BeginTransactionAsync(None);
        var tookA = await repository.TryAssignAsync(claim.Id, seenByA.Version, a, Now, txA, None);
        // B writes while A's transaction is still open: it waits on A's lock (row lock, or SQLite's write lock).
        var takeB = Task.Run(async () =>
        {
            await using var connectionB = await db.Connections.OpenAsync(None);
            await using var txB = await connectionB.BeginTransactionAsync(None);
            var took = await repository.TryAssignAsync(claim.Id, seenByB.Version, b, Now, txB, None);
            await txB.CommitAsync(None);
            return took;
        });
        // Give B time to reach the lock; the outcome below holds however the two interleave.
        await Task.Delay(200);
        Assert.False(takeB.IsCompleted);
        await txA.CommitAsync(None);
        var tookB = await takeB;

        Assert.True(tookA);
        Assert.False(tookB);
        var after = await repository.GetAsync(claim.Id, None);
        Assert.Equal((a, 1), (after!.AssignedTo!.Value, after.Version));
    }
}
