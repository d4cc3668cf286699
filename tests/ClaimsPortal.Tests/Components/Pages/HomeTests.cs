using Bunit;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.Portal.Components.Pages;

namespace ClaimsOffice.Portal.Tests.Components.Pages;

public class HomeTests : MudComponentTest
{
    [Fact]
    public void Tells_victims_what_to_do_and_where_to_start()
    {
        var cut = Render<Home>();

        Assert.Equal("Report a payment you did not make", cut.Find("h1").TextContent);
        Assert.Equal("/me/sign-in", cut.Find("a[data-testid=start]").GetAttribute("href"));
    }
}
