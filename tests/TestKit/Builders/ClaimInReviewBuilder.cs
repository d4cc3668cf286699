using ClaimsOffice.Database;
using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Claims;

namespace ClaimsOffice.TestKit.Builders;

/// <summary>
/// A claim already in review, written straight to the tables (customer, disputed transactions, claim, assessment),
/// for queue and decision tests that need many claims or chosen scores, deadlines and attacker signals.
/// </summary>
public sealed class ClaimInReviewBuilder
{
    private readonly List<(long Amount, string? Counterparty)> _lines = [];
    private int _score = 10;
    private DateTimeOffset _submittedAt = FixedClock.DefaultStart.AddHours(-2);
    private DateTimeOffset? _dueAt;
    private string? _device;
    private string? _ip;
    private long? _customerId;
    private readonly List<string> _supportingRules = [];
    private readonly List<string> _blockingRules = [];

    public ClaimInReviewBuilder Disputing(long amount, string? payee = null) { _lines.Add((amount, payee)); return this; }
    public ClaimInReviewBuilder Score(int score) { _score = score; return this; }
    public ClaimInReviewBuilder SubmittedAt(DateTimeOffset at) { _submittedAt = at; return this; }
    /// <summary>The first-decision deadline the queue orders by (default: 24 hours after submission).</summary>
    public ClaimInReviewBuilder DueAt(DateTimeOffset at) { _dueAt = at; return this; }
    public ClaimInReviewBuilder FromAttacker(string device, string ip) { _device = device; _ip = ip; return this; }
    public ClaimInReviewBuilder ForCustomer(long customerId) { _customerId = customerId; return this; }
    /// <summary>A finding with points for the claim under this rule name.</summary>
    public ClaimInReviewBuilder WithFinding(string rule) { _supportingRules.Add(rule); return this; }
    /// <summary>A finding against the claim that blocks automatic payout (a person must decide), as trusted-device does.</summary>
    public ClaimInReviewBuilder AgainstFinding(string rule) { _blockingRules.Add(rule); return this; }

    public async Task<Claim> InsertAsync(IDbConnectionFactory connections, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(connections);
        if (_lines.Count == 0)
        {
            _lines.Add((12_000, null));
        }
        var customerId = _customerId ?? (await new CustomerBuilder().Named("Queue Victim").InsertAsync(connections, ct)).Id;
        var disputed = new List<ClaimedTransaction>();
        foreach (var (amount, payee) in _lines)
        {
            var tx = new TransactionBuilder(customerId).Payment(amount).At(_submittedAt.AddHours(-1));
            // A payee of its own unless told: a shared one would put unrelated claims in one campaign.
            tx.To(payee ?? "payee-" + Guid.NewGuid().ToString("N")[..10]);
            if (_device is not null)
            {
                tx.From(_device, _ip ?? "203.0.113.9");
            }
            disputed.Add(new ClaimedTransaction((await tx.InsertAsync(connections, ct)).Id, amount));
        }
        var total = disputed.Sum(d => d.Amount);
        var claims = new ClaimRepository(connections);
        await using var connection = await connections.OpenAsync(ct);
        await using var dbTx = await connection.BeginTransactionAsync(ct);
        var claim = await claims.InsertAsync(new NewClaim(customerId, "Not me.", total, "JPY", _submittedAt, disputed), dbTx, ct);
        var firstDue = _dueAt ?? _submittedAt.AddHours(24);
        await claims.MarkInReviewAsync(claim.Id, _submittedAt, new ReviewEntry(_score, firstDue, _submittedAt.AddDays(14)), dbTx, ct);
        await new AssessmentRepository(connections).InsertAsync(new Assessment
        {
            ClaimId = claim.Id,
            RuleSetVersion = "test-rules",
            Outcome = AssessmentOutcome.Review,
            Score = _score,
            AssessedAt = _submittedAt,
            Findings =
            [
                .. _supportingRules.Select(r => new AssessmentFinding { Rule = r, Points = 20, Summary = $"{r} supports the claim", Evidence = "{}" }),
                .. _blockingRules.Select(r => new AssessmentFinding { Rule = r, Points = -50, BlocksAutoPayout = true, Summary = $"{r} speaks against the claim", Evidence = "{}" }),
            ],
        }, dbTx, ct);
        await dbTx.CommitAsync(ct);
        return claim with { Status = ClaimStatus.InReview, DecisionDueAt = _submittedAt.AddDays(14) };
    }
}
