using ClaimsOffice.Worker.Bench;
using ClaimsOffice.Worker.Cli;

namespace ClaimsOffice.Worker.Tests.Bench;

public sealed class BenchOptionsTests
{
    private static BenchOptions Parse(params string[] args) => BenchOptions.Parse(new CommandLine(["bench", .. args]));

    [Fact]
    public void Without_options_it_benchmarks_embedded_sqlite_after_a_warm_up()
    {
        var options = Parse();

        Assert.Equal("sqlite", options.Provider);
        Assert.Contains("claims-bench.db", options.Connection, StringComparison.Ordinal);
        Assert.Equal(20, options.Rate);
        Assert.Equal(1000, options.Claims);
        Assert.Equal(0, options.Workers);
        Assert.Equal(BenchOptions.DefaultWarmup, options.Warmup);
    }

    [Fact]
    public void The_warm_up_can_be_turned_off_to_measure_a_cold_start()
    {
        Assert.Equal(0, Parse("--warmup", "0").Warmup);
    }

    [Theory]
    [InlineData("--warmup", "-1", "--warmup takes a whole number from 0 to 100000 (got '-1')")]
    [InlineData("--rate", "0", "--rate takes a number of claims per second above 0 (got '0')")]
    [InlineData("--claims", "many", "--claims takes a whole number from 1 to 1000000 (got 'many')")]
    [InlineData("--provider", "oracle", "Unknown provider 'oracle'")]
    public void A_bad_option_is_named_in_the_message(string name, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(name, value));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_needs_a_connection_string()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("--provider", "postgres"));

        Assert.Contains("--connection is required", error.Message, StringComparison.Ordinal);
    }
}
