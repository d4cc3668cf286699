using ClaimsOffice.Portal.Components.Ui;

namespace ClaimsOffice.Portal.Tests.Components.Ui;

public class DisplayTimeZoneTests
{
    [Fact]
    public void Finds_Tokyo_by_its_IANA_id() =>
        Assert.Equal(TimeSpan.FromHours(9), DisplayTimeZone.FromId("Asia/Tokyo").Zone.BaseUtcOffset);

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData(null)]
    public void Falls_back_to_UTC_for_unknown_or_blank_ids(string? id) =>
        Assert.Equal(TimeZoneInfo.Utc, DisplayTimeZone.FromId(id).Zone);

    [Fact]
    public void Writes_Tokyo_wall_clock_time_with_its_offset()
    {
        var tokyo = DisplayTimeZone.FromId("Asia/Tokyo");

        Assert.Equal("2026-11-21 21:03 +09:00", tokyo.ToDisplayText(new DateTimeOffset(2026, 11, 21, 12, 3, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Writes_negative_offsets_with_a_minus_sign()
    {
        var newYork = DisplayTimeZone.FromId("America/New_York");

        Assert.Equal("2026-01-15 07:00 -05:00", newYork.ToDisplayText(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero)));
    }
}
