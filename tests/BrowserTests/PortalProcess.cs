using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ClaimsOffice.BrowserTests;

/// <summary>
/// The portal as a person runs it: its own process on a free loopback port, the worker in-process.
/// A browser needs a real socket, which a WebApplicationFactory test server does not have.
/// </summary>
public sealed partial class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private PortalProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = default!;

    public string Output { get { lock (_output) { return string.Join(Environment.NewLine, _output); } } }

    public static async Task<PortalProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var repo = RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(repo, "ClaimsPortal", "bin", configuration, "net10.0", "ClaimsPortal.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.Combine(repo, "ClaimsPortal"),
        };
        foreach (var arg in new[] { dll, "--urls", "http://127.0.0.1:0", "--contentRoot", Path.Combine(repo, "ClaimsPortal") })
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the portal.");
        var portal = new PortalProcess(process);
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => portal.Collect(e.Data, ready);
        process.ErrorDataReceived += (_, e) => portal.Collect(e.Data, ready);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var finished = await Task.WhenAny(ready.Task, Task.Delay(timeout), process.WaitForExitAsync());
        if (finished != ready.Task)
        {
            await portal.DisposeAsync();
            throw new InvalidOperationException($"The portal did not start within {timeout}:{Environment.NewLine}{portal.Output}");
        }
        portal.BaseAddress = await ready.Task;
        return portal;
    }

    private void Collect(string? line, TaskCompletionSource<Uri> ready)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
        if (RunningAt().Match(line) is { Success: true } match)
        {
            ready.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ClaimsOffice.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("ClaimsOffice.sln not found above the test folder.");
    }

    [GeneratedRegex(@"ClaimsOffice is running at (http://\S+)")]
    private static partial Regex RunningAt();
}
