using Bunit;
using ClaimsOffice.Portal.Components.Ui;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Components.Ui;

public class LocalTimeTests : BunitContext
{
    private static readonly DateTimeOffset NoonUtc = new(2026, 11, 21, 12, 3, 0, TimeSpan.Zero);

    [Fact]
    public void Shows_Tokyo_wall_clock_time_for_a_UTC_instant()
    {
        Services.AddSingleton(DisplayTimeZone.FromId("Asia/Tokyo"));

        var time = Render<LocalTime>(p => p.Add(t => t.Value, NoonUtc)).Find("time");

        Assert.Equal("2026-11-21 21:03 +09:00", time.TextContent);
        Assert.Equal("2026-11-21T12:03:00Z", time.GetAttribute("datetime"));
    }

    [Fact]
    public void Converts_instants_recorded_with_another_offset()
    {
        Services.AddSingleton(DisplayTimeZone.FromId("Asia/Tokyo"));
        var sameInstantInParis = new DateTimeOffset(2026, 11, 21, 13, 3, 0, TimeSpan.FromHours(1));

        var time = Render<LocalTime>(p => p.Add(t => t.Value, sameInstantInParis)).Find("time");

        Assert.Equal("2026-11-21 21:03 +09:00", time.TextContent);
        Assert.Equal("2026-11-21T12:03:00Z", time.GetAttribute("datetime"));
    }

    [Fact]
    public void Uses_the_given_format_for_the_wall_clock_part()
    {
        Services.AddSingleton(DisplayTimeZone.FromId("Asia/Tokyo"));

        var cut = Render<LocalTime>(p => p.Add(t => t.Value, NoonUtc).Add(t => t.Format, "HH:mm"));

        Assert.Equal("21:03 +09:00", cut.Find("time").TextContent);
    }

    [Fact]
    public void Shows_UTC_when_the_configured_zone_is_unknown()
    {
        Services.AddSingleton(DisplayTimeZone.FromId("No/Such_Zone"));

        var cut = Render<LocalTime>(p => p.Add(t => t.Value, NoonUtc));

        Assert.Equal("2026-11-21 12:03 UTC", cut.Find("time").TextContent);
    }
}
