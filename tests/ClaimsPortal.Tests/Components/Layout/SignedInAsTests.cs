using Bunit;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.Portal.Components.Layout;

namespace ClaimsOffice.Portal.Tests.Components.Layout;

public class SignedInAsTests : MudComponentTest
{
    [Fact]
    public void Offers_sign_in_to_anonymous_visitors()
    {
        AddAuthorization();

        var cut = Render<SignedInAs>();

        Assert.Equal("/me/sign-in", cut.Find("a").GetAttribute("href"));
        Assert.Empty(cut.FindAll("form"));
    }

    [Fact]
    public void Offers_sign_in_when_the_host_has_no_authentication_state()
    {
        var cut = Render<SignedInAs>();

        Assert.Equal("Sign in", cut.Find("a").TextContent);
    }

    [Fact]
    public void Names_the_signed_in_user_and_signs_out_with_a_post()
    {
        AddAuthorization().SetAuthorized("aiko@example.jp");

        var cut = Render<SignedInAs>();

        Assert.Contains("Signed in as aiko@example.jp", cut.Find(".signed-in").TextContent, StringComparison.Ordinal);
        var form = cut.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/me/sign-out", form.GetAttribute("action"));
        Assert.Equal("Sign out", form.QuerySelector("button[type=submit]")?.TextContent);
    }
}
