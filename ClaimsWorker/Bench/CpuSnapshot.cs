using System.Globalization;
using System.Text;

namespace ClaimsOffice.Worker.Bench;

/// <summary>CPU seconds of the bench process, each worker process and the PostgreSQL server, at one moment.</summary>
internal sealed record CpuSnapshot(double Bench, IReadOnlyList<double?> Workers, double? Postgres)
{
    public static CpuSnapshot Take(int? postmaster, IReadOnlyList<int> workerPids) => new(
        ProcessCpu.Seconds(Environment.ProcessId) ?? 0,
        [.. workerPids.Select(pid => ProcessCpu.Seconds(pid))],
        postmaster is { } pid ? ProcessCpu.ServerSeconds(pid) : null);

    public CpuSnapshot Minus(CpuSnapshot earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new(Bench - earlier.Bench,
            [.. Workers.Select((w, i) => w - (i < earlier.Workers.Count ? earlier.Workers[i] : null))],
            Postgres - earlier.Postgres);
    }

    /// <summary>One line: CPU milliseconds per finished claim of each process (the bench includes the worker when it runs in process).</summary>
    public string PerClaim(int claims)
    {
        var line = new StringBuilder("cpu per claim (/proc utime+stime):");
        line.Append(CultureInfo.InvariantCulture, $" bench {Bench * 1000 / claims:0.00} ms");
        for (var i = 0; i < Workers.Count; i++)
        {
            line.Append(CultureInfo.InvariantCulture, $", worker {i + 1} {(Workers[i] is { } w ? (w * 1000 / claims).ToString("0.00", CultureInfo.InvariantCulture) + " ms" : "gone")}");
        }
        line.Append(Postgres is { } pg
            ? string.Create(CultureInfo.InvariantCulture, $", postgresql (postmaster + all its processes) {pg * 1000 / claims:0.00} ms")
            : "");
        return line.ToString();
    }
}
