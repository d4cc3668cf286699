using ClaimsOffice.Worker.Bench;

namespace ClaimsOffice.Worker.Import;

/// <summary>
/// Takes rows in the staging table's shape (<see cref="ImportFile.Stage"/> writes them) as the file is read for
/// the first and only time, and writes them straight into the real table: without the line number, with the
/// customer's row id for the file's customer_id. It does the whole-file checks of the staging path as it goes:
/// a row whose id an earlier checked row had, or whose customer is not in <c>customers</c>, is reported and left
/// out. Only for a table that holds none of the file's ids (an empty one), so every other row is new.
/// </summary>
internal sealed class DirectRows(
    BulkTable table, int customerColumn, IReadOnlyDictionary<string, long> customers, Action<long, string> repeatedId, Action<long, string> unknownCustomer) : BulkTable
{
    /// <summary>Where a staged row names its customer, when it has one: right after the id (column 1; 0 is the line).</summary>
    public const int CustomerColumn = 2;

    private const int IdColumn = 1;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private int _column;
    private long _line;
    private string? _id;
    private bool _repeated;
    private bool _writing;

    /// <summary>Rows written so far.</summary>
    public long Written { get; private set; }

    public override BulkTable Text(string? value)
    {
        if (_column == IdColumn)
        {
            // Stage writes a row only when it passed the row's own checks, so the id is there and not empty.
            _id = value ?? throw new InvalidOperationException("A staged row has no id.");
            _repeated = !_ids.Add(_id);
            if (_repeated)
            {
                repeatedId(_line, _id);
            }
            else if (customerColumn < 0)
            {
                _writing = true;
                table.Text(_id);
            }
        }
        else if (_column == customerColumn)
        {
            if (!_repeated)
            {
                if (value is not null && customers.TryGetValue(value, out var customer))
                {
                    _writing = true;
                    table.Text(_id).Long(customer);
                }
                else
                {
                    unknownCustomer(_line, value ?? "");
                }
            }
        }
        else if (_writing)
        {
            table.Text(value);
        }
        _column++;
        return this;
    }

    public override BulkTable Long(long? value)
    {
        if (_column == 0)
        {
            _line = value ?? 0;
        }
        else if (_writing)
        {
            table.Long(value);
        }
        _column++;
        return this;
    }

    public override BulkTable Time(DateTime utc)
    {
        if (_writing)
        {
            table.Time(utc);
        }
        _column++;
        return this;
    }

    public override BulkTable Double(double? value)
    {
        if (_writing)
        {
            table.Double(value);
        }
        _column++;
        return this;
    }

    public override void EndRow()
    {
        if (_writing)
        {
            table.EndRow();
            Written++;
        }
        _writing = false;
        _repeated = false;
        _column = 0;
    }

    public override Task CompleteAsync(CancellationToken ct) => table.CompleteAsync(ct);

    public override ValueTask DisposeAsync() => table.DisposeAsync();
}
