using ClaimsOffice.Worker.Notifications;

namespace ClaimsOffice.Worker.Tests.Notifications;

public class MoneyFormatTests
{
    [Theory]
    [InlineData(12345L, "JPY", "¥12,345")]
    [InlineData(0L, "JPY", "¥0")]
    [InlineData(1234L, "USD", "$12.34")]
    [InlineData(5L, "USD", "$0.05")]
    [InlineData(100000L, "EUR", "€1,000.00")]
    [InlineData(99L, "GBP", "£0.99")]
    [InlineData(1000000L, "KRW", "₩1,000,000")]
    public void Formats_common_currencies_with_their_symbol_and_minor_units(long amount, string currency, string expected) =>
        Assert.Equal(expected, MoneyFormat.Format(amount, currency));

    [Theory]
    [InlineData(-12345L, "JPY", "-¥12,345")]
    [InlineData(-1234L, "USD", "-$12.34")]
    [InlineData(-5L, "USD", "-$0.05")]
    public void Puts_the_minus_sign_before_the_symbol(long amount, string currency, string expected) =>
        Assert.Equal(expected, MoneyFormat.Format(amount, currency));

    [Fact]
    public void Accepts_lower_case_and_padded_codes() =>
        Assert.Equal("¥500", MoneyFormat.Format(500, " jpy "));

    [Fact]
    public void Writes_out_the_code_for_currencies_without_a_symbol() =>
        Assert.Equal("CHF 12.50", MoneyFormat.Format(1250, "CHF"));

    [Fact]
    public void Takes_minor_units_of_rare_currencies_from_culture_data()
    {
        // The Bahraini dinar has three decimals (ISO 4217), unlike the two assumed by default.
        Assert.Equal(3, MoneyFormat.MinorUnitDigits("BHD"));
        Assert.Equal("BHD 1.234", MoneyFormat.Format(1234, "BHD"));
    }

    [Fact]
    public void Unknown_codes_fall_back_to_two_decimals() =>
        Assert.Equal("XYZ 12.34", MoneyFormat.Format(1234, "XYZ"));

    [Fact]
    public void Keeps_the_extremes_of_long_exact()
    {
        Assert.Equal("¥9,223,372,036,854,775,807", MoneyFormat.Format(long.MaxValue, "JPY"));
        Assert.Equal("-$92,233,720,368,547,758.08", MoneyFormat.Format(long.MinValue, "USD"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Refuses_a_blank_currency(string currency) =>
        Assert.Throws<ArgumentException>(() => MoneyFormat.Format(1, currency));
}
