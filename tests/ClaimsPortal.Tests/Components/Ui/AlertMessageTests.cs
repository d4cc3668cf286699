using Bunit;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.Portal.Components.Ui;

namespace ClaimsOffice.Portal.Tests.Components.Ui;

public class AlertMessageTests : MudComponentTest
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Renders_nothing_without_a_message(string? message)
    {
        var cut = Render<AlertMessage>(p => p.Add(a => a.Message, message).Add(a => a.Kind, "danger"));

        Assert.Empty(cut.FindAll("[role=alert]"));
        Assert.Equal("", cut.Markup.Trim());
    }

    [Theory]
    [InlineData("success")]
    [InlineData("danger")]
    [InlineData("info")]
    [InlineData("warning")]
    public void Shows_the_message_as_an_alert_of_its_kind(string kind)
    {
        var alert = Render<AlertMessage>(p => p.Add(a => a.Message, "Claim submitted").Add(a => a.Kind, kind)).Find("[role=alert]");

        Assert.Equal("Claim submitted", alert.TextContent.Trim());
        Assert.Equal(kind, alert.GetAttribute("data-kind"));
    }

    [Fact]
    public void Treats_an_unknown_kind_as_info()
    {
        var alert = Render<AlertMessage>(p => p.Add(a => a.Message, "Hello").Add(a => a.Kind, "primary\" onclick=\"x")).Find("[role=alert]");

        Assert.Equal("info", alert.GetAttribute("data-kind"));
        Assert.Null(alert.GetAttribute("onclick"));
    }
}
