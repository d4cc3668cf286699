using Bunit;
using ClaimsOffice.Portal.Components.Ui;

namespace ClaimsOffice.Portal.Tests.Components.Ui;

public class ElapsedTests : BunitContext
{
    [Fact]
    public void Shows_words_and_keeps_an_ISO_duration_for_machines()
    {
        var time = Render<Elapsed>(p => p.Add(e => e.Value, TimeSpan.FromSeconds(125))).Find("time");

        Assert.Equal("2 min 5 s", time.TextContent);
        Assert.Equal("PT2M5S", time.GetAttribute("datetime"));
    }

    [Fact]
    public void Leaves_out_the_machine_value_for_negative_durations()
    {
        var time = Render<Elapsed>(p => p.Add(e => e.Value, TimeSpan.FromSeconds(-3))).Find("time");

        Assert.Equal("-3.0 s", time.TextContent);
        Assert.False(time.HasAttribute("datetime"));
    }
}
