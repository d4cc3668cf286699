using ClaimsOffice.Worker.Bench;

namespace ClaimsOffice.Worker.Import;

/// <summary>
/// Takes rows in the staging table's shape (<see cref="ImportFile.Stage"/> writes them) and passes some of them
/// on to the real table: a subclass decides per row, from its first columns, whether to write it
/// (<see cref="Writing"/>), and writes those columns itself in the table's shape.
/// </summary>
internal abstract class FilteredRows(BulkTable table) : BulkTable
{
    protected BulkTable Table => table;

    /// <summary>The staged column the next value is for (0 is the line number).</summary>
    protected int Column { get; set; }

    /// <summary>The current row goes into the table.</summary>
    protected bool Writing { get; set; }

    /// <summary>Rows written so far.</summary>
    public long Written { get; private set; }

    public override BulkTable Time(DateTime utc)
    {
        if (Writing)
        {
            table.Time(utc);
        }
        Column++;
        return this;
    }

    public override BulkTable Double(double? value)
    {
        if (Writing)
        {
            table.Double(value);
        }
        Column++;
        return this;
    }

    public override void EndRow()
    {
        if (Writing)
        {
            table.EndRow();
            Written++;
        }
        Writing = false;
        Column = 0;
    }

    public override Task CompleteAsync(CancellationToken ct) => table.CompleteAsync(ct);

    public override ValueTask DisposeAsync() => table.DisposeAsync();
}
