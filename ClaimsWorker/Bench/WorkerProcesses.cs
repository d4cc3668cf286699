using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace ClaimsOffice.Worker.Bench;

/// <summary>
/// Separate ClaimsWorker processes (<c>run --provider X --connection Y</c>) started by the benchmark,
/// each with its output in a log file, and killed when it ends, whatever happens (dispose, Ctrl+C,
/// process exit).
/// </summary>
internal sealed class WorkerProcesses : IAsyncDisposable
{

    private readonly List<Child> _children = [];
    private readonly EventHandler _onExit;

    public WorkerProcesses()
    {
        _onExit = (_, _) => KillAll();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    /// <summary>Where the workers' output goes; created when the first worker starts.</summary>
    public string LogFolder { get; private set; } = "";

    public IEnumerable<string> LogFiles => _children.Select(c => c.LogPath);

    /// <summary>The workers' process ids, for their CPU time.</summary>
    public IReadOnlyList<int> ProcessIds => [.. _children.Select(c => c.ProcessId)];

    /// <summary>Starts the workers and waits until each one's Hangfire server and maintenance loop run.</summary>
    public async Task StartAsync(int count, string provider, string connection, TimeSpan timeout, CancellationToken ct)
    {
        var (fileName, prefix) = LocateSelf();
        LogFolder = Directory.CreateTempSubdirectory("claims-bench-workers-").FullName;
        for (var i = 0; i < count; i++)
        {
            var info = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in prefix.Concat(["run", "--provider", provider, "--connection", connection]))
            {
                info.ArgumentList.Add(arg);
            }
            var logPath = Path.Combine(LogFolder, string.Create(CultureInfo.InvariantCulture, $"worker-{i + 1}.log"));
            var child = new Child(new Process { StartInfo = info, EnableRaisingEvents = true }, logPath);
            _children.Add(child);
            child.Start();
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await Task.WhenAll(_children.Select(c => c.Ready.Task.WaitAsync(deadline.Token)));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"Workers not ready after {timeout.TotalSeconds:0} s; see {string.Join(", ", LogFiles)}");
        }
    }

    /// <summary>The running ClaimsWorker: its apphost, or <c>dotnet ClaimsWorker.dll</c> when run through the muxer.</summary>
    private static (string FileName, IReadOnlyList<string> Prefix) LocateSelf()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which executable is running.");
        var assembly = Assembly.GetEntryAssembly()?.Location;
        var isMuxer = Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (isMuxer)
        {
            if (string.IsNullOrEmpty(assembly))
            {
                throw new InvalidOperationException("Cannot locate ClaimsWorker.dll to start workers.");
            }
            return (processPath, [assembly]);
        }
        return (processPath, []);
    }

    public void KillAll()
    {
        foreach (var child in _children)
        {
            child.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        KillAll();
        foreach (var child in _children)
        {
            await child.DisposeAsync();
        }
        _children.Clear();
    }

    private sealed class Child(Process process, string logPath) : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private StreamWriter? _log;
        public string LogPath => logPath;

        public int ProcessId => process.Id;

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Start()
        {
            _log = new StreamWriter(logPath) { AutoFlush = true };
            process.OutputDataReceived += (_, e) => OnLine(e.Data);
            process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            process.Exited += (_, _) => Ready.TrySetException(new InvalidOperationException(
                $"Worker exited early (code {SafeExitCode()}); see {logPath}"));
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        private string SafeExitCode()
        {
            try
            {
                return process.ExitCode.ToString(CultureInfo.InvariantCulture);
            }
            catch (InvalidOperationException)
            {
                return "?";
            }
        }

        private void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_gate)
            {
                _log?.WriteLine(line);
                if (line.Contains(Jobs.MaintenanceLoop.ReadyMessage, StringComparison.Ordinal))
                {
                    Ready.TrySetResult();
                }
            }
        }

        public void Kill()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // Never started or already gone.
            }
        }

        public async ValueTask DisposeAsync()
        {
            Kill();
            process.Dispose();
            StreamWriter? log;
            lock (_gate)
            {
                log = _log;
                _log = null;
            }
            if (log is not null)
            {
                await log.DisposeAsync();
            }
        }
    }
}
