using ClaimsOffice.Worker.Cli;

namespace ClaimsOffice.Worker.Bench;

public static class BenchCommand
{
    public static Task<int> RunAsync(CommandLine commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        throw new NotSupportedException("bench is being built");
    }
}
