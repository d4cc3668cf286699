using Bunit;
using ClaimsOffice.Portal.Components.Ui;

namespace ClaimsOffice.Portal.Tests.Components.Ui;

public class ClaimStatusBadgeTests : BunitContext
{
    [Theory]
    [InlineData("Submitted", "Submitted", "text-bg-primary")]
    [InlineData("Assessing", "Being assessed", "text-bg-info")]
    [InlineData("InReview", "In review", "text-bg-warning")]
    [InlineData("Paid", "Reimbursed", "text-bg-success")]
    [InlineData("Rejected", "Rejected", "text-bg-danger")]
    public void Shows_a_human_label_and_colour_for_each_status(string status, string label, string cssClass)
    {
        var badge = Render<ClaimStatusBadge>(p => p.Add(b => b.Status, status)).Find("span.badge");

        Assert.Equal(label, badge.TextContent);
        Assert.Contains(cssClass, badge.ClassList);
        Assert.Equal(status, badge.GetAttribute("data-status"));
    }

    [Fact]
    public void Shows_an_unknown_status_as_is_in_a_neutral_colour()
    {
        var badge = Render<ClaimStatusBadge>(p => p.Add(b => b.Status, "Escalated")).Find("span.badge");

        Assert.Equal("Escalated", badge.TextContent);
        Assert.Contains("text-bg-secondary", badge.ClassList);
    }
}
