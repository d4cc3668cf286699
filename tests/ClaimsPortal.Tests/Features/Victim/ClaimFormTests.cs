using Bunit;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Portal.Features.Victim;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.Worker.Intake;

namespace ClaimsOffice.Portal.Tests.Features.Victim;

public class ClaimFormTests : MudComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static readonly PaymentTransaction[] Transactions =
    [
        Tx("TX-STOLEN", TransactionKinds.Payment, "Lawson Kabukicho"),
        Tx("TX-TOPUP", TransactionKinds.TopUp, null),
        Tx("TX-CLAIMED", TransactionKinds.Payment, "7-Eleven Kamata") with { LiveClaimNumber = "CLM-2026-000007" },
    ];

    [Fact]
    public void Only_payments_not_already_claimed_can_be_ticked_and_each_box_has_a_label()
    {
        var form = Render<ClaimForm>(p => p.Add(f => f.Transactions, Transactions));

        var boxes = form.FindAll("input[type=checkbox][name=tx]");
        Assert.Equal(["TX-STOLEN"], boxes.Select(b => b.GetAttribute("value")));
        Assert.Contains("Lawson Kabukicho", form.Find("label[for=tx-TX-STOLEN]").TextContent, StringComparison.Ordinal);
        // Already in a claim: no box, a link to that claim instead.
        Assert.Equal("/me/claims/CLM-2026-000007", form.Find("a[href^='/me/claims/']").GetAttribute("href"));
        Assert.Equal("Which payments were not you?", form.Find("fieldset legend").TextContent.Trim());
    }

    [Fact]
    public void The_description_field_has_a_label_and_posts_under_its_form_name()
    {
        var form = Render<ClaimForm>(p => p.Add(f => f.Transactions, Transactions).Add(f => f.Description, "Someone else"));

        var description = form.Find("#description");
        Assert.Equal("Description", description.GetAttribute("name"));
        Assert.Equal("What happened?", form.Find("label[for=description]").TextContent.Trim());
        Assert.Equal("Someone else", description.TextContent.Length > 0 ? description.TextContent : description.GetAttribute("value"));
        Assert.Equal("post", form.Find("form").GetAttribute("method"));
        Assert.Empty(form.FindAll("[data-testid=error-summary]"));
    }

    [Fact]
    public void A_failed_post_shows_a_summary_linking_to_each_field_and_marks_the_fields()
    {
        var form = Render<ClaimForm>(p => p
            .Add(f => f.Transactions, Transactions)
            .Add(f => f.Errors, [new FieldError("TransactionReferences", "Choose at least one transaction you did not make."), new FieldError("Description", "Tell us briefly what happened.")]));

        var summary = form.Find("[data-testid=error-summary]");
        Assert.Equal("alert", summary.GetAttribute("role"));
        Assert.Equal("-1", summary.GetAttribute("tabindex"));
        Assert.Contains("Your claim was not sent", summary.TextContent, StringComparison.Ordinal);
        var links = summary.QuerySelectorAll("a").Select(a => (a.GetAttribute("href"), a.TextContent)).ToList();
        Assert.Equal([("#transactions", "Choose at least one transaction you did not make."), ("#description", "Tell us briefly what happened.")], links);

        // The link targets exist, and each field carries its own message.
        Assert.Equal("transactions-error", form.Find("#transactions").GetAttribute("aria-describedby"));
        Assert.Equal("Choose at least one transaction you did not make.", form.Find("#transactions-error").TextContent);
        Assert.Equal("true", form.Find("#description").GetAttribute("aria-invalid"));
        Assert.Contains("Tell us briefly what happened.", form.Find(".mud-input-control").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Ticked_payments_stay_ticked_after_a_failed_post()
    {
        var form = Render<ClaimForm>(p => p
            .Add(f => f.Transactions, Transactions)
            .Add(f => f.Selected, new HashSet<string>(["TX-STOLEN"]))
            .Add(f => f.Errors, [new FieldError("Description", "Tell us briefly what happened.")]));

        Assert.True(form.Find("#tx-TX-STOLEN").HasAttribute("checked"));
        Assert.Null(form.Find("#transactions").GetAttribute("aria-describedby"));
    }

    private static PaymentTransaction Tx(string reference, string kind, string? merchant) => new()
    {
        Reference = reference,
        Kind = kind,
        Amount = 9_800,
        Currency = "JPY",
        MerchantName = merchant,
        OccurredAt = Now.AddHours(-3),
    };
}
