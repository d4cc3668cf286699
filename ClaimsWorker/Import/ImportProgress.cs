using System.Diagnostics;
using System.Globalization;

namespace ClaimsOffice.Worker.Import;

/// <summary>Where the importer says how far it is.</summary>
public interface IImportProgress
{
    /// <param name="fractionRead">How much of the file has been read so far, 0 to 1.</param>
    void Start(string file, Func<double> fractionRead);

    void Rows(long rows);

    void Phase(string phase);

    void Done(ImportFileReport report);
}

/// <summary>Says nothing (tests).</summary>
public sealed class SilentImportProgress : IImportProgress
{
    public void Start(string file, Func<double> fractionRead)
    {
    }

    public void Rows(long rows)
    {
    }

    public void Phase(string phase)
    {
    }

    public void Done(ImportFileReport report)
    {
    }
}

/// <summary>
/// A progress bar redrawn in place when stderr is a terminal; otherwise a plain line every few seconds,
/// so a log file gets a readable record instead of carriage returns.
/// </summary>
public sealed class ConsoleImportProgress(TextWriter error, bool isTerminal) : IImportProgress
{
    private const int BarWidth = 30;
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private readonly Stopwatch _clock = new();
    private string _file = "";
    private string? _inProgress;
    private Func<double> _fraction = () => 0;
    private TimeSpan _lastPlain;
    private bool _barDrawn;

    public static ConsoleImportProgress ForStandardError() => new(Console.Error, !Console.IsErrorRedirected);

    public void Start(string file, Func<double> fractionRead)
    {
        _fraction = fractionRead;
        if (file == _inProgress)
        {
            return; // The same file read a second time (PostgreSQL): the times stay counted from its start.
        }
        _file = file;
        _inProgress = file;
        _lastPlain = TimeSpan.Zero;
        _clock.Restart();
    }

    public void Rows(long rows)
    {
        var fraction = _fraction();
        var rate = _clock.Elapsed.TotalSeconds > 0 ? rows / _clock.Elapsed.TotalSeconds : 0;
        if (isTerminal)
        {
            var filled = (int)Math.Round(fraction * BarWidth);
            error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{_file} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {fraction,4:P0} {rows,12:N0} rows {rate,10:N0} rows/s"));
            _barDrawn = true;
        }
        else if (_clock.Elapsed - _lastPlain >= PlainInterval)
        {
            _lastPlain = _clock.Elapsed;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_file}: {fraction:P0} read, {rows:N0} rows, {rate:N0} rows/s"));
        }
    }

    public void Phase(string phase)
    {
        EndBar();
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_file}: {phase}... ({_clock.Elapsed.TotalSeconds:N1} s so far)"));
    }

    public void Done(ImportFileReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        EndBar();
        _inProgress = null;
    }

    private void EndBar()
    {
        if (_barDrawn)
        {
            error.WriteLine();
            _barDrawn = false;
        }
    }
}
