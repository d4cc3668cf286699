namespace ClaimsOffice.Worker.Import.Convert;

/// <summary>A dataset's CSV file read by column name, so a reordered or extended export still converts.</summary>
internal sealed class SourceFile : IDisposable
{
    private readonly CsvFile _file;
    private readonly Dictionary<string, int> _columns;

    private SourceFile(CsvFile file, Dictionary<string, int> columns)
    {
        _file = file;
        _columns = columns;
    }

    public string Name => _file.Name;

    public long Line => _file.Reader.Line;

    public static SourceFile Open(string folder, string name, params string[] required)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path) && File.Exists(path + ".gz"))
        {
            path += ".gz";
        }
        var file = CsvFile.Open(path);
        var header = file.Reader.Read() ?? throw new ArgumentException($"{path} is empty.");
        var columns = header.Select((h, i) => (h.Trim(), i)).ToDictionary(x => x.Item1, x => x.i, StringComparer.Ordinal);
        var missing = required.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            file.Dispose();
            throw new ArgumentException($"{path} lacks column(s) {string.Join(", ", missing)}.");
        }
        return new SourceFile(file, columns);
    }

    public int Column(string name) => _columns[name];

    public IReadOnlyList<string>? Read()
    {
        var row = _file.Reader.Read();
        while (row is { Count: 1 } && row[0].Length == 0)
        {
            row = _file.Reader.Read();
        }
        if (row is not null && row.Count < _columns.Count)
        {
            throw new FormatException($"{Name} line {Line}: {row.Count} fields, the header has {_columns.Count}.");
        }
        return row;
    }

    public void Dispose() => _file.Dispose();
}
