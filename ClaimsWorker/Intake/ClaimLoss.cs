using ClaimsOffice.Database.Transactions;

namespace ClaimsOffice.Worker.Intake;

/// <summary>
/// What a claim asks back. A bank top-up pulled by a thief lands in the victim's own wallet, and the
/// thief's spending of it is the same money leaving again: one loss, not two. So the loss is the money
/// that left the wallet. A claim with only bank top-ups in it asks back the top-ups; the top-ups-only
/// rule sends such a claim to a person, since the money may still be in the wallet.
/// </summary>
public static class ClaimLoss
{
    public static long Compute(IReadOnlyCollection<PaymentTransaction> disputed)
    {
        var (leftTheWallet, pulledFromBank) = Split(disputed);
        return leftTheWallet > 0 ? leftTheWallet : pulledFromBank;
    }

    /// <summary>The bank top-ups that <see cref="Compute"/> leaves out of the loss, as counted in the spending; 0 when none are.</summary>
    public static long TopUpsLeftOut(IReadOnlyCollection<PaymentTransaction> disputed)
    {
        var (leftTheWallet, pulledFromBank) = Split(disputed);
        return leftTheWallet > 0 ? pulledFromBank : 0;
    }

    private static (long LeftTheWallet, long PulledFromBank) Split(IReadOnlyCollection<PaymentTransaction> disputed)
    {
        ArgumentNullException.ThrowIfNull(disputed);
        return (disputed.Where(t => t.Kind != TransactionKinds.BankTopUp).Sum(t => t.Amount),
                disputed.Where(t => t.Kind == TransactionKinds.BankTopUp).Sum(t => t.Amount));
    }
}
