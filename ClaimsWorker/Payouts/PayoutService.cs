using System.Data.Common;
using System.Text.Json;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Ledger;
using ClaimsOffice.Database.Payouts;

namespace ClaimsOffice.Worker.Payouts;

/// <summary>
/// Moves compensation from the fund to the customer's wallet: one balanced journal and one payout row
/// per claim, inside the caller's transaction. The payout's unique claim key makes a second payout of
/// the same claim fail, whatever got past the claim's state check.
/// </summary>
public sealed class PayoutService(PayoutRepository payouts)
{
    /// <param name="auditEntries">The payout's audit entry is added here, for the caller to append with its others in one batch (see <see cref="AuditLog.AppendAsync(IReadOnlyList{AuditEntry}, DbTransaction, CancellationToken)"/>).</param>
    public async Task<Payout> PayAsync(Claim claim, long amount, DateTimeOffset now, string actor, ICollection<AuditEntry> auditEntries, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(auditEntries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        if (amount > claim.TotalAmount)
        {
            throw new InvalidOperationException($"Cannot pay {amount} on claim {claim.ClaimNumber} of {claim.TotalAmount}.");
        }
        var transfer = new LedgerTransfer(
            new LedgerAccount(LedgerAccountKinds.CompensationFundCode, LedgerAccountKinds.CompensationFund, null, claim.Currency),
            new LedgerAccount(LedgerAccountKinds.WalletCode(claim.CustomerId), LedgerAccountKinds.CustomerWallet, claim.CustomerId, claim.Currency),
            amount, claim.Currency, "claim-payout", claim.Id, $"Compensation for {claim.ClaimNumber}", now);
        // The accounts (created on first use), the journal and the payout row in one command on PostgreSQL.
        var payout = await payouts.InsertWithTransferAsync(new Payout { ClaimId = claim.Id, Amount = amount, Currency = claim.Currency, PaidAt = now }, transfer, tx, ct);
        auditEntries.Add(new AuditEntry(actor, "claim.paid", "claim", claim.ClaimNumber,
            JsonSerializer.Serialize(new { amount, claim.Currency, journal_id = payout.JournalId, payout_id = payout.Id }), now));
        return payout;
    }
}
