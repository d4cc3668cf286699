using ClaimsOffice.Worker.Bench;

namespace ClaimsOffice.Worker.Import;

/// <summary>
/// Writes staged-shape rows straight into the real table: only the lines in <c>lines</c> (sorted; the rows that
/// passed every check and whose id is not there yet), without the line number, with the customer's row id for
/// the file's customer_id.
/// </summary>
internal sealed class TableRows(BulkTable table, long[] lines, int customerColumn, IReadOnlyDictionary<string, long> customers) : FilteredRows(table)
{
    /// <summary>All the lines were written: the file gave each of them again, as in the first reading.</summary>
    public bool IsComplete => Written == lines.Length;

    public override BulkTable Text(string? value)
    {
        if (Writing)
        {
            if (Column == customerColumn)
            {
                Table.Long(value is not null && customers.TryGetValue(value, out var id)
                    ? id
                    : throw new InvalidOperationException($"customer_id '{value}' was checked but is not known now."));
            }
            else
            {
                Table.Text(value);
            }
        }
        Column++;
        return this;
    }

    public override BulkTable Long(long? value)
    {
        if (Column == 0)
        {
            // The line number: is this one of the rows to write? Lines come in file order, like the list.
            Writing = Written < lines.Length && value == lines[Written];
        }
        else if (Writing)
        {
            Table.Long(value);
        }
        Column++;
        return this;
    }
}
