using System.Globalization;
using System.Text;
using ClaimsOffice.Database.RuleSets;

namespace ClaimsOffice.Worker.Evaluation;

/// <summary>One row of claims.csv (docs/import-format.md).</summary>
public sealed record ClaimRow(int Line, string ClaimId, string CustomerId, DateTimeOffset FiledAt, IReadOnlyList<string> TransactionIds, string Description, string Truth);

public sealed record LineError(int Line, string Message)
{
    public override string ToString() => $"line {Line}: {Message}";
}

/// <summary>Reads claims.csv: <c>claim_id,customer_id,filed_at,transaction_ids,description,truth</c>, every problem reported with its line.</summary>
public static class ClaimsFile
{
    public static readonly string[] Columns = ["claim_id", "customer_id", "filed_at", "transaction_ids", "description", "truth"];

    public static (IReadOnlyList<ClaimRow> Rows, IReadOnlyList<LineError> Errors) Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<ClaimRow>();
        var errors = new List<LineError>();
        var lineNumber = 0;
        var header = ReadRecord(reader, ref lineNumber);
        if (header is null)
        {
            errors.Add(new LineError(1, "The file is empty; it needs the header row " + string.Join(',', Columns) + "."));
            return (rows, errors);
        }
        var unknown = header.Where(h => !Columns.Contains(h.Trim(), StringComparer.Ordinal)).ToList();
        var missing = Columns.Where(c => !header.Select(h => h.Trim()).Contains(c, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0 || missing.Count > 0)
        {
            errors.Add(new LineError(1, $"The header must name the columns {string.Join(',', Columns)}" +
                (unknown.Count > 0 ? $"; unknown: {string.Join(", ", unknown)}" : "") + (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : "") + "."));
            return (rows, errors);
        }
        var index = Columns.ToDictionary(c => c, c => Array.FindIndex(header, h => h.Trim() == c), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var start = lineNumber + 1;
            var fields = ReadRecord(reader, ref lineNumber);
            if (fields is null)
            {
                break;
            }
            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue;
            }
            if (fields.Length != header.Length)
            {
                errors.Add(new LineError(start, $"{fields.Length} fields where the header has {header.Length}."));
                continue;
            }
            string F(string name) => fields[index[name]].Trim();
            var problems = new List<string>();
            var claimId = F("claim_id");
            if (claimId.Length == 0)
            {
                problems.Add("claim_id is empty");
            }
            else if (!seen.Add(claimId))
            {
                problems.Add($"claim_id {claimId} appears twice");
            }
            var customerId = F("customer_id");
            if (customerId.Length == 0)
            {
                problems.Add("customer_id is empty");
            }
            if (!DateTimeOffset.TryParseExact(F("filed_at"), ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var filedAt)
                || !HasOffset(F("filed_at")))
            {
                problems.Add($"filed_at '{F("filed_at")}' is not an ISO 8601 time with an offset (e.g. 2020-06-21T12:14:25Z)");
            }
            var ids = F("transaction_ids").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length == 0)
            {
                problems.Add("transaction_ids is empty");
            }
            var truth = F("truth");
            if (truth is not (ClaimTruth.Genuine or ClaimTruth.False))
            {
                problems.Add($"truth '{truth}' must be genuine or false");
            }
            if (problems.Count > 0)
            {
                errors.Add(new LineError(start, string.Join("; ", problems) + "."));
                continue;
            }
            rows.Add(new ClaimRow(start, claimId, customerId, filedAt, ids, F("description"), truth));
        }
        return (rows, errors);
    }

    private static bool HasOffset(string text) => text.EndsWith('Z') || text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':';

    /// <summary>One CSV record (RFC 4180: quoted fields may hold commas, quotes and line breaks); null at the end.</summary>
    private static string[]? ReadRecord(TextReader reader, ref int lineNumber)
    {
        var line = reader.ReadLine();
        if (line is null)
        {
            return null;
        }
        lineNumber++;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; ; i++)
        {
            if (i == line.Length)
            {
                if (quoted && reader.ReadLine() is { } next)
                {
                    lineNumber++;
                    field.Append('\n');
                    line = next;
                    i = -1;
                    continue;
                }
                break;
            }
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString());
        return [.. fields];
    }
}
