using System.Diagnostics;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Jobs;

namespace ClaimsOffice.Worker.Tests.Jobs;

/// <summary>A real <c>ClaimsWorker run</c> process (the build beside the tests) on a test database; killed on dispose.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static async Task<WorkerProcess> StartAsync(TestDatabase db, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "ClaimsWorker.dll"), "run", "--provider", db.Kind == DatabaseKind.Sqlite ? "sqlite" : "postgres", "--connection", db.ConnectionString })
        {
            info.ArgumentList.Add(arg);
        }
        var worker = new WorkerProcess(new Process { StartInfo = info });
        worker._process.OutputDataReceived += (_, e) => worker.OnLine(e.Data);
        worker._process.ErrorDataReceived += (_, e) => worker.OnLine(e.Data);
        worker._process.Start();
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        try
        {
            await worker._ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            worker.Dispose();
            throw new TimeoutException($"ClaimsWorker run not ready after {timeout}: {worker.Output}");
        }
        return worker;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(40));
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
        if (line.Contains(MaintenanceLoop.ReadyMessage, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, like a crash or an OOM kill.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
