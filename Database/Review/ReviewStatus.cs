using ClaimsOffice.Database.Claims;

namespace ClaimsOffice.Database.Review;

/// <summary>The states people move a claim through after the machine sent it to review.</summary>
public static class ReviewStatus
{
    public const string InReview = ClaimStatus.InReview;
    public const string AwaitingInformation = "AwaitingInformation";
    public const string Escalated = "Escalated";
    public const string AwaitingApproval = "AwaitingApproval";
    public const string Paid = ClaimStatus.Paid;
    public const string PartiallyPaid = "PartiallyPaid";
    public const string Rejected = ClaimStatus.Rejected;

    /// <summary>States shown in the queue. Must match the predicate of the partial queue indexes (0008).</summary>
    public static readonly IReadOnlyList<string> Open = [InReview, AwaitingInformation, Escalated, AwaitingApproval];

    /// <summary>States an agent may decide from.</summary>
    public static readonly IReadOnlyList<string> Decidable = [InReview, AwaitingInformation, Escalated];

    /// <summary>The open states as a SQL list literal, so PostgreSQL can match the partial indexes (a parameter would hide it).</summary>
    public const string OpenSqlList = "('InReview', 'AwaitingInformation', 'Escalated', 'AwaitingApproval')";

    public static bool IsOpen(string status) => Open.Contains(status);

    private static readonly HashSet<string> All = [InReview, AwaitingInformation, Escalated, AwaitingApproval, Paid, PartiallyPaid, Rejected, ClaimStatus.Submitted];

    /// <summary>
    /// States as a SQL list literal. Only known state names pass (never user text): a literal list reads the
    /// same on both databases, where a list parameter does not (Npgsql sends it as one array).
    /// </summary>
    public static string SqlList(IEnumerable<string> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var list = statuses.ToList();
        if (list.Count == 0 || list.Any(s => !All.Contains(s)))
        {
            throw new ArgumentException("Unknown claim state in " + string.Join(", ", list), nameof(statuses));
        }
        return "(" + string.Join(", ", list.Select(s => "'" + s + "'")) + ")";
    }
}

/// <summary>The kinds of decision recorded in claim_decisions.</summary>
public static class DecisionKinds
{
    public const string Approve = "Approve";
    public const string PartialApprove = "PartialApprove";
    public const string Reject = "Reject";
    public const string AskInformation = "AskInformation";
    public const string Escalate = "Escalate";
}
