using System.Globalization;

namespace ClaimsOffice.Worker.Bench;

/// <summary>
/// CPU seconds (user + system) of processes, read from /proc/&lt;pid&gt;/stat (Linux). For a PostgreSQL server:
/// the postmaster, its live children (backends, WAL writer, checkpointer...), and what its exited children
/// used (cutime + cstime, added to the parent when it reaps them), so short-lived connections are counted too.
/// </summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on.

    public static double? Seconds(int pid, bool withReapedChildren = false)
    {
        var fields = Stat(pid);
        if (fields is null)
        {
            return null;
        }
        // Fields after "(comm)": [0]=state ... utime is field 14 of the whole line, i.e. index 11 here.
        var ticks = Tick(fields, 11) + Tick(fields, 12);
        if (withReapedChildren)
        {
            ticks += Tick(fields, 13) + Tick(fields, 14);
        }
        return ticks / TicksPerSecond;
    }

    /// <summary>The postmaster and all its children, living and reaped. Null when it is not on this machine.</summary>
    public static double? ServerSeconds(int postmasterPid)
    {
        if (Seconds(postmasterPid, withReapedChildren: true) is not { } total)
        {
            return null;
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } fields
                && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) && parent == postmasterPid)
            {
                total += (Tick(fields, 11) + Tick(fields, 12)) / TicksPerSecond;
            }
        }
        return total;
    }

    /// <summary>The parent of a process (for a PostgreSQL backend: its postmaster).</summary>
    public static int? Parent(int pid) =>
        Stat(pid) is { } fields && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? parent : null;

    private static string[]? Stat(int pid)
    {
        try
        {
            var line = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            // The command name may hold spaces and parentheses: split after its last ')'.
            return line[(line.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Tick(string[] fields, int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
}
