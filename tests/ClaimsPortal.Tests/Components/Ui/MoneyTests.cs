using Bunit;
using ClaimsOffice.Portal.Components.Ui;

namespace ClaimsOffice.Portal.Tests.Components.Ui;

public class MoneyTests : BunitContext
{
    [Theory]
    [InlineData(12345L, "JPY", "¥12,345")]
    [InlineData(1234L, "USD", "$12.34")]
    [InlineData(-1234L, "USD", "-$12.34")]
    public void Shows_the_formatted_amount(long amount, string currency, string expected)
    {
        var cut = Render<Money>(p => p.Add(m => m.Amount, amount).Add(m => m.Currency, currency));

        Assert.Equal(expected, cut.Find("span.money").TextContent);
    }
}
