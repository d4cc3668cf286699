using Bunit;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.Portal.Components.Ui;

namespace ClaimsOffice.Portal.Tests.Components.Ui;

public class PageHeaderTests : MudComponentTest
{
    [Fact]
    public void Shows_title_and_subtitle()
    {
        var cut = Render<PageHeader>(p => p.Add(h => h.Title, "My claims").Add(h => h.Subtitle, "Everything you reported"));

        Assert.Equal("My claims", cut.Find("h1").TextContent);
        Assert.Equal("Everything you reported", cut.Find("header p").TextContent);
    }

    [Fact]
    public void Leaves_out_an_empty_subtitle()
    {
        var cut = Render<PageHeader>(p => p.Add(h => h.Title, "My claims"));

        Assert.Empty(cut.FindAll("header p"));
    }
}
