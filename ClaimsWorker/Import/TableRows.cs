using ClaimsOffice.Worker.Bench;

namespace ClaimsOffice.Worker.Import;

/// <summary>
/// Takes rows in the staging table's shape (<see cref="ImportFile.Stage"/> writes them) and writes them
/// straight into the real table: only the lines in <c>lines</c> (sorted; the rows that passed every check and
/// whose id is not there yet), without the line number, with the customer's row id for the file's customer_id.
/// </summary>
internal sealed class TableRows(BulkTable table, long[] lines, int customerColumn, IReadOnlyDictionary<string, long> customers) : BulkTable
{
    private int _column;
    private int _next;
    private bool _writing;

    /// <summary>Rows written so far.</summary>
    public long Written => _next;

    /// <summary>All the lines were written: the file gave each of them again, as in the first reading.</summary>
    public bool IsComplete => _next == lines.Length;

    public override BulkTable Text(string? value)
    {
        if (_writing)
        {
            if (_column == customerColumn)
            {
                table.Long(value is not null && customers.TryGetValue(value, out var id)
                    ? id
                    : throw new InvalidOperationException($"customer_id '{value}' was checked but is not known now."));
            }
            else
            {
                table.Text(value);
            }
        }
        _column++;
        return this;
    }

    public override BulkTable Long(long? value)
    {
        if (_column == 0)
        {
            // The line number: is this one of the rows to write? Lines come in file order, like the list.
            _writing = _next < lines.Length && value == lines[_next];
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
            _next++;
        }
        _writing = false;
        _column = 0;
    }

    public override Task CompleteAsync(CancellationToken ct) => table.CompleteAsync(ct);

    public override ValueTask DisposeAsync() => table.DisposeAsync();
}
