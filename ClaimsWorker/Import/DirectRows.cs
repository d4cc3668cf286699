using ClaimsOffice.Worker.Bench;

namespace ClaimsOffice.Worker.Import;

/// <summary>
/// Writes staged-shape rows straight into the real table as the file is read for the first and only time:
/// without the line number, with the customer's row id for the file's customer_id. It makes the whole-file
/// checks of the staging path as it goes: a row whose id an earlier checked row had, or whose customer is not in
/// <c>customers</c>, is reported and left out. Only for a table that holds none of the file's ids (an empty one), so every other row is new.
/// </summary>
internal sealed class DirectRows(
    BulkTable table, int customerColumn, IReadOnlyDictionary<string, long> customers, Action<long, string> repeatedId, Action<long, string> unknownCustomer) : FilteredRows(table)
{
    /// <summary>Where a staged row names its customer, when it has one: right after the id (column 1; 0 is the line).</summary>
    public const int CustomerColumn = 2;

    private const int IdColumn = 1;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private long _line;
    private string? _id;
    private bool _repeated;

    public override BulkTable Text(string? value)
    {
        if (Column == IdColumn)
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
                Writing = true;
                Table.Text(_id);
            }
        }
        else if (Column == customerColumn)
        {
            // A repeated id is reported as that alone; the customer is looked up for a new one.
            if (!_repeated && value is not null && customers.TryGetValue(value, out var customer))
            {
                Writing = true;
                Table.Text(_id).Long(customer);
            }
            else if (!_repeated)
            {
                unknownCustomer(_line, value ?? "");
            }
        }
        else if (Writing)
        {
            Table.Text(value);
        }
        Column++;
        return this;
    }

    public override BulkTable Long(long? value)
    {
        if (Column == 0)
        {
            _line = value ?? 0;
            _repeated = false;
        }
        else if (Writing)
        {
            Table.Long(value);
        }
        Column++;
        return this;
    }
}
