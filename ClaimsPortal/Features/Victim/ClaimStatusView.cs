using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Intake;

namespace ClaimsOffice.Portal.Features.Victim;

/// <summary>What the victim's claim page shows: the claim and the transactions in it.</summary>
public sealed record ClaimStatusView(Claim Claim, IReadOnlyList<PaymentTransaction> Transactions)
{
    /// <summary>Submitted means the engine is on it; the victim reads that as "being assessed".</summary>
    public string DisplayStatus => Claim.Status == ClaimStatus.Submitted ? "Assessing" : Claim.Status;

    public TimeSpan? ReportToMoney => Claim.PaidAt - Claim.SubmittedAt;

    /// <summary>Bank top-ups in the claim that the amount claimed leaves out, since the spending in it is that money.</summary>
    public long TopUpsLeftOut => ClaimLoss.TopUpsLeftOut(Transactions);

    /// <summary>The version this view was loaded at: the claim watcher reports anything newer.</summary>
    public ClaimVersion Version => new() { Id = Claim.Id, Status = Claim.Status, UpdatedAt = Claim.UpdatedAt };
}

public sealed class ClaimStatusQuery(ClaimRepository claims, TransactionRepository transactions)
{
    /// <summary>The claim if it is this customer's; null for anyone else's, so a guessed number shows "not found".</summary>
    public async Task<ClaimStatusView?> GetAsync(long customerId, string claimNumber, CancellationToken ct)
    {
        var claim = await claims.GetForCustomerAsync(customerId, claimNumber, ct);
        return claim is null ? null : new ClaimStatusView(claim, await transactions.GetForClaimAsync(claim.Id, ct));
    }
}
