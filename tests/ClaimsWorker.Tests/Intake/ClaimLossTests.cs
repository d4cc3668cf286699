using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Intake;

namespace ClaimsOffice.Worker.Tests.Intake;

public sealed class ClaimLossTests
{
    private static PaymentTransaction Tx(string kind, long amount) => new() { Reference = "TX-" + amount, Kind = kind, Amount = amount, Currency = "JPY" };

    [Fact]
    public void Payments_add_up()
    {
        Assert.Equal(15_800, ClaimLoss.Compute([Tx(TransactionKinds.Payment, 9_800), Tx(TransactionKinds.Payment, 6_000)]));
    }

    [Fact]
    public void A_stolen_bank_top_up_and_the_spending_of_it_are_one_loss()
    {
        // ¥50,000 pulled from the bank into the wallet, ¥46,800 spent by the thief: ¥3,200 is still in the wallet.
        Assert.Equal(46_800, ClaimLoss.Compute([Tx(TransactionKinds.BankTopUp, 50_000), Tx(TransactionKinds.Payment, 46_800)]));
    }

    [Fact]
    public void A_claim_with_only_bank_top_ups_asks_back_the_top_ups()
    {
        Assert.Equal(30_000, ClaimLoss.Compute([Tx(TransactionKinds.BankTopUp, 30_000)]));
    }

    [Fact]
    public void The_top_ups_left_out_are_those_the_spending_already_counts()
    {
        Assert.Equal(50_000, ClaimLoss.TopUpsLeftOut([Tx(TransactionKinds.BankTopUp, 50_000), Tx(TransactionKinds.Payment, 46_800)]));
        Assert.Equal(0, ClaimLoss.TopUpsLeftOut([Tx(TransactionKinds.BankTopUp, 30_000)]));
        Assert.Equal(0, ClaimLoss.TopUpsLeftOut([Tx(TransactionKinds.Payment, 9_800)]));
    }
}
