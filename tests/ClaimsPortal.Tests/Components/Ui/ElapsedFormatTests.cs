using ClaimsOffice.Portal.Components.Ui;

namespace ClaimsOffice.Portal.Tests.Components.Ui;

public class ElapsedFormatTests
{
    [Theory]
    [InlineData(0L, "under 0.01 s")]
    [InlineData(7L, "under 0.01 s")]
    [InlineData(-4L, "under 0.01 s")]
    [InlineData(10L, "0.01 s")]
    [InlineData(420L, "0.42 s")]
    [InlineData(999L, "0.99 s")]
    [InlineData(3_100L, "3.1 s")]
    [InlineData(59_990L, "59.9 s")]
    [InlineData(125_000L, "2 min 5 s")]
    [InlineData(3_599_999L, "59 min 59 s")]
    [InlineData(11_400_000L, "3 h 10 min")]
    [InlineData(93_600_000L, "1 d 2 h")]
    [InlineData(-3_100L, "-3.1 s")]
    public void Writes_durations_as_people_read_them(long milliseconds, string expected) =>
        Assert.Equal(expected, ElapsedFormat.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
