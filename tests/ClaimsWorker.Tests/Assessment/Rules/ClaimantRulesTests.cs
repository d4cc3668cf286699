using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Tests.Assessment.Rules;

/// <summary>Campaigns across claims and the claimant's own record.</summary>
public sealed class ClaimantRulesTests
{
    private static CampaignLink Link(string claim, long customer, string status = ClaimStatus.InReview, string by = "ip", string value = "203.0.113.9") =>
        new() { ClaimNumber = claim, CustomerId = customer, Status = status, SharedBy = by, Value = value };

    private static Claim Earlier(string status, int daysAgo) => new()
    {
        Id = 100 + daysAgo, ClaimNumber = $"CLM-2026-{daysAgo:D6}", CustomerId = Contexts.CustomerId, Status = status, Description = "x",
        TotalAmount = 1_000, Currency = "JPY", SubmittedAt = Contexts.Now.AddDays(-daysAgo), UpdatedAt = Contexts.Now.AddDays(-daysAgo),
    };

    [Fact]
    public void Claims_from_other_customers_sharing_the_attackers_ip_are_a_campaign_and_a_paid_one_confirms_it()
    {
        var context = Contexts.For([Contexts.Tx(Contexts.Now.AddHours(-2))]);

        var open = new CampaignRule().Evaluate(context with { CampaignLinks = [Link("CLM-2026-000010", 7), Link("CLM-2026-000011", 8)] });
        var confirmed = new CampaignRule().Evaluate(context with { CampaignLinks = [Link("CLM-2026-000010", 7, ClaimStatus.Paid), Link("CLM-2026-000011", 8)] });
        var alone = new CampaignRule().Evaluate(context with { CampaignLinks = [Link("CLM-2026-000010", 7)] });

        Assert.NotNull(open);
        Assert.Equal(CampaignRule.Points, open.Points);
        Assert.Contains("CLM-2026-000011", open.Evidence, StringComparison.Ordinal);
        Assert.NotNull(confirmed);
        Assert.True(confirmed.Points > open.Points);
        Assert.Null(alone);
    }

    [Fact]
    public void An_earlier_rejected_claim_sends_the_claim_to_a_person_and_one_paid_claim_says_nothing()
    {
        var context = Contexts.For([Contexts.Tx(Contexts.Now.AddHours(-2))]);

        var rejected = new EarlierClaimsRule().Evaluate(context with { EarlierClaims = [Earlier(ClaimStatus.Rejected, 40)] });
        var onePaid = new EarlierClaimsRule().Evaluate(context with { EarlierClaims = [Earlier(ClaimStatus.Paid, 40)] });
        var frequent = new EarlierClaimsRule().Evaluate(context with { EarlierClaims = [Earlier(ClaimStatus.Paid, 40), Earlier(ClaimStatus.Paid, 90)] });

        Assert.NotNull(rejected);
        Assert.True(rejected.BlocksAutoPayout);
        Assert.Null(onePaid);
        Assert.NotNull(frequent);
        Assert.False(frequent.BlocksAutoPayout);
        Assert.True(frequent.Points < 0);
    }

    [Fact]
    public void A_brand_new_account_is_shown_to_the_agent_and_rules_abstain_without_account_data()
    {
        var context = Contexts.For([Contexts.Tx(Contexts.Now.AddHours(-2))]);

        var young = new AccountAgeRule().Evaluate(context with { Account = new AccountFacts { CreatedAt = Contexts.Now.AddDays(-2) } });
        var old = new AccountAgeRule().Evaluate(context with { Account = new AccountFacts { CreatedAt = Contexts.Now.AddYears(-3) } });

        Assert.NotNull(young);
        Assert.Contains("opened 1.9 days before the first disputed transaction", young.Summary, StringComparison.Ordinal);
        Assert.Equal(AccountAgeRule.Points, young.Points);
        Assert.Null(old);
        Assert.Null(new AccountAgeRule().Evaluate(context));
        Assert.Null(new SharedIdentityRule().Evaluate(context));
    }

    [Fact]
    public void Contact_details_shared_with_other_accounts_need_a_person()
    {
        var context = Contexts.For([Contexts.Tx(Contexts.Now.AddHours(-2))]);

        var shared = new SharedIdentityRule().Evaluate(context with { Account = new AccountFacts { CreatedAt = Contexts.Now.AddYears(-1), AccountsSharingContact = 3 } });
        var own = new SharedIdentityRule().Evaluate(context with { Account = new AccountFacts { CreatedAt = Contexts.Now.AddYears(-1), AccountsSharingContact = 0 } });

        Assert.NotNull(shared);
        Assert.True(shared.BlocksAutoPayout);
        Assert.Contains("3 other", shared.Summary, StringComparison.Ordinal);
        Assert.Null(own);
    }
}
