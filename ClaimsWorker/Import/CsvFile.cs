using System.IO.Compression;
using System.Text;

namespace ClaimsOffice.Worker.Import;

/// <summary>A CSV file opened for reading, plain or gzip (by the <c>.gz</c> ending), with how far it has been read.</summary>
internal sealed class CsvFile : IDisposable
{
    private readonly FileStream _file;
    private readonly StreamReader _text;

    private CsvFile(string path)
    {
        Path = path;
        Name = System.IO.Path.GetFileName(path);
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(_file, CompressionMode.Decompress) : _file;
        _text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        Reader = new CsvReader(_text);
    }

    public string Path { get; }

    public string Name { get; }

    public CsvReader Reader { get; }

    /// <summary>Share of the file read so far, 0 to 1 (of the compressed bytes for a .gz file).</summary>
    public double Fraction => _file.Length == 0 ? 1 : (double)_file.Position / _file.Length;

    public static CsvFile Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"File not found: {path}");
        }
        return new CsvFile(path);
    }

    public void Dispose()
    {
        _text.Dispose();
        _file.Dispose();
    }
}

/// <summary>
/// RFC 4180 records from text: comma-separated, fields optionally in double quotes, "" for a quote inside
/// quotes, line breaks allowed inside quotes. <see cref="Line"/> is the line a record starts on (1-based),
/// so errors name the line a person sees in an editor.
/// </summary>
internal sealed class CsvReader(TextReader text)
{
    private readonly List<string> _fields = [];
    private readonly StringBuilder _quoted = new();
    private long _linesRead;

    public long Line { get; private set; }

    /// <summary>The next record's fields, or null at the end. A blank line is a record with one empty field.</summary>
    public IReadOnlyList<string>? Read()
    {
        var line = text.ReadLine();
        if (line is null)
        {
            return null;
        }
        _linesRead++;
        Line = _linesRead;
        _fields.Clear();
        var pos = 0;
        while (true)
        {
            if (pos < line.Length && line[pos] == '"')
            {
                // Quoted field: may run over several physical lines.
                _quoted.Clear();
                pos++;
                while (true)
                {
                    var close = line.IndexOf('"', pos);
                    if (close < 0)
                    {
                        _quoted.Append(line, pos, line.Length - pos).Append('\n');
                        line = text.ReadLine() ?? throw new FormatException($"line {Line}: a quoted field is not closed before the end of the file");
                        _linesRead++;
                        pos = 0;
                        continue;
                    }
                    _quoted.Append(line, pos, close - pos);
                    if (close + 1 < line.Length && line[close + 1] == '"')
                    {
                        _quoted.Append('"');
                        pos = close + 2;
                        continue;
                    }
                    pos = close + 1;
                    break;
                }
                _fields.Add(_quoted.ToString());
                if (pos == line.Length)
                {
                    return _fields;
                }
                if (line[pos] != ',')
                {
                    throw new FormatException($"line {Line}: unexpected text after a closing quote");
                }
                pos++;
                continue;
            }
            var comma = line.IndexOf(',', pos);
            if (comma < 0)
            {
                _fields.Add(line[pos..]);
                return _fields;
            }
            _fields.Add(line[pos..comma]);
            pos = comma + 1;
        }
    }
}

/// <summary>Writes RFC 4180 CSV: a field is quoted only when it holds a comma, a quote or a line break.</summary>
internal sealed class CsvWriter(TextWriter text)
{
    private static readonly System.Buffers.SearchValues<char> NeedsQuotes = System.Buffers.SearchValues.Create(",\"\r\n");
    private bool _rowStarted;

    public static CsvWriter Create(string path) =>
        new(new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16) { NewLine = "\n" });

    public TextWriter Text => text;

    public CsvWriter Field(string? value)
    {
        if (_rowStarted)
        {
            text.Write(',');
        }
        _rowStarted = true;
        if (string.IsNullOrEmpty(value))
        {
            return this;
        }
        if (value.AsSpan().IndexOfAny(NeedsQuotes) < 0)
        {
            text.Write(value);
        }
        else
        {
            text.Write('"');
            text.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            text.Write('"');
        }
        return this;
    }

    public void EndRow()
    {
        text.Write('\n');
        _rowStarted = false;
    }

    public void Row(params string?[] fields)
    {
        foreach (var f in fields)
        {
            Field(f);
        }
        EndRow();
    }
}
