using Bunit;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.Portal.Components.Ui;

namespace ClaimsOffice.Portal.Tests.Components.Ui;

public class ClaimStatusBadgeTests : MudComponentTest
{
    [Theory]
    [InlineData("Submitted", "Submitted", "mud-chip-color-primary")]
    [InlineData("Assessing", "Being assessed", "mud-chip-color-info")]
    [InlineData("InReview", "In review", "mud-chip-color-warning")]
    [InlineData("Paid", "Reimbursed", "mud-chip-color-success")]
    [InlineData("Rejected", "Rejected", "mud-chip-color-error")]
    [InlineData("AwaitingInformation", "We need your answer", "mud-chip-color-warning")]
    [InlineData("Escalated", "With a senior reviewer", "mud-chip-color-warning")]
    [InlineData("AwaitingApproval", "Approved, payment being signed off", "mud-chip-color-info")]
    [InlineData("PartiallyPaid", "Partly reimbursed", "mud-chip-color-success")]
    public void Shows_a_human_label_and_colour_for_each_status(string status, string label, string cssClass)
    {
        var badge = Render<ClaimStatusBadge>(p => p.Add(b => b.Status, status)).Find("[data-status]");

        Assert.Equal(label, badge.TextContent);
        Assert.Contains(cssClass, badge.ClassList);
        Assert.Equal(status, badge.GetAttribute("data-status"));
    }

    [Fact]
    public void Shows_an_unknown_status_as_is_in_a_neutral_colour()
    {
        var badge = Render<ClaimStatusBadge>(p => p.Add(b => b.Status, "Frozen")).Find("[data-status]");

        Assert.Equal("Frozen", badge.TextContent);
        Assert.Contains("mud-chip-color-default", badge.ClassList);
    }
}
