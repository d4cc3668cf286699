using Bunit;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Portal.Features.Victim;
using ClaimsOffice.Portal.Tests.Support;

namespace ClaimsOffice.Portal.Tests.Features.Victim;

public class ClaimStatusCardTests : MudComponentTest
{
    private static readonly DateTimeOffset Submitted = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_paid_claim_says_how_much_went_to_the_wallet_and_how_fast()
    {
        var card = Render(Claim(ClaimStatus.Paid) with { PaidAmount = 19_600, PaidAt = Submitted.AddMilliseconds(420) });

        var outcome = card.Find("[data-testid=claim-outcome]").TextContent;
        Assert.Contains("Reimbursed ¥19,600 to your wallet.", outcome, StringComparison.Ordinal);
        Assert.Contains("Time from report to money: 0.42 s", outcome, StringComparison.Ordinal);
        Assert.Equal("Reimbursed", card.Find("[data-status]").TextContent);
    }

    [Fact]
    public void A_claim_in_review_shows_the_decision_date_in_Tokyo_time_and_no_money()
    {
        // 2026-12-04 20:00 UTC is already the 5th in Tokyo.
        var card = Render(Claim(ClaimStatus.InReview) with { DecisionDueAt = new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.Zero) });

        var outcome = card.Find("[data-testid=claim-outcome]").TextContent;
        Assert.Contains("In review.", outcome, StringComparison.Ordinal);
        Assert.Contains("A decision is due by 2026-12-05", outcome, StringComparison.Ordinal);
        Assert.DoesNotContain("Reimbursed", card.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_claim_being_assessed_offers_a_plain_reload_until_the_page_is_live()
    {
        var card = Render(Claim(ClaimStatus.Submitted));

        Assert.Equal("/me/claims/CLM-2026-000042", card.Find("[data-testid=reload]").GetAttribute("href"));
        Assert.Equal("Being assessed", card.Find("[data-status]").TextContent);
        Assert.Equal("current", card.Find("[data-step=checked]").GetAttribute("data-state"));

        card.Render(p => p.Add(c => c.Live, true));

        Assert.Empty(card.FindAll("[data-testid=reload]"));
        Assert.Contains("This page updates by itself.", card.Find("[data-testid=claim-outcome]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_outcome_is_announced_politely_to_screen_readers()
    {
        var outcome = Render(Claim(ClaimStatus.Paid) with { PaidAmount = 19_600, PaidAt = Submitted.AddSeconds(1) }).Find("[data-testid=claim-outcome]");

        Assert.Equal("status", outcome.GetAttribute("role"));
        Assert.Equal("polite", outcome.GetAttribute("aria-live"));
    }

    [Fact]
    public void Lists_each_disputed_transaction_with_its_amount()
    {
        var card = Render(Claim(ClaimStatus.Submitted));

        var rows = card.FindAll("[data-testid=evidence-list] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("Lawson Kabukicho", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("¥9,800", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("TX-B", rows[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bank_top_up_spent_by_the_thief_is_explained_rather_than_added()
    {
        // The docomo pattern: ¥50,000 pulled from the bank into the wallet, ¥46,800 of it spent; the claim asks back the spending.
        var card = Render<ClaimStatusCard>(p => p.Add(c => c.View, new ClaimStatusView(Claim(ClaimStatus.Paid) with { TotalAmount = 46_800, PaidAmount = 46_800 },
        [
            Tx("TX-TOPUP", 50_000, "Yucho Bank ****1234") with { Kind = TransactionKinds.BankTopUp },
            Tx("TX-SPENT", 46_800, "Rakuten Ichiba"),
        ])));

        Assert.Contains("¥46,800", card.Find(".claim-facts dd").TextContent, StringComparison.Ordinal);
        var note = card.Find("[data-testid=top-ups-left-out]").TextContent;
        Assert.Contains("The ¥50,000 topped up from your bank is not added", note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_claim_of_payments_alone_has_nothing_to_explain()
    {
        Assert.Empty(Render(Claim(ClaimStatus.Paid)).FindAll("[data-testid=top-ups-left-out]"));
    }

    private IRenderedComponent<ClaimStatusCard> Render(Claim claim) =>
        Render<ClaimStatusCard>(p => p.Add(c => c.View, new ClaimStatusView(claim,
        [
            Tx("TX-A", 9_800, "Lawson Kabukicho"),
            Tx("TX-B", 9_800, "7-Eleven Kamata"),
        ])));

    private static Claim Claim(string status) => SampleClaim.With(status, Submitted);

    private static PaymentTransaction Tx(string reference, long amount, string merchant) => new()
    {
        Reference = reference,
        Kind = TransactionKinds.Payment,
        Amount = amount,
        Currency = "JPY",
        MerchantName = merchant,
        OccurredAt = Submitted.AddHours(-3),
    };
}
