using System.Data.Common;
using System.Diagnostics;
using ClaimsOffice.Database;
using ClaimsOffice.Worker.Bench;
using Dapper;
using Npgsql;

namespace ClaimsOffice.Worker.Import;

/// <summary>What to import: each file is optional; with <see cref="SkipBadRows"/> bad rows are left out instead of refusing everything.</summary>
public sealed record ImportRequest(string? Customers, string? Transactions, string? Events, bool SkipBadRows);

/// <summary>A row that cannot be imported, by the line it starts on in its file.</summary>
public sealed record ImportIssue(string File, long Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File} line {Line}: {Message}" : $"{File}: {Message}";
}

public sealed record ImportFileReport(string File, long RowsRead, long BadRows, long Imported, long AlreadyPresent, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsRead / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// The outcome: <see cref="Refused"/> means nothing was written. <see cref="Issues"/> holds the first
/// <see cref="Importer.IssuesKept"/> problems of each file; <see cref="ImportFileReport.BadRows"/> counts them all.
/// </summary>
public sealed record ImportReport(bool Refused, IReadOnlyList<ImportFileReport> Files, IReadOnlyList<ImportIssue> Issues);

/// <summary>The file a person gave is not in the canonical format at all (header, encoding, quoting): nothing is imported.</summary>
public sealed class ImportFormatException(string message) : Exception(message);

/// <summary>Another writer added some of the same ids while the import ran: nothing is imported, and importing again skips them.</summary>
public sealed class ImportConflictException(string message) : Exception(message);

/// <summary>
/// Imports canonical CSV files in one database transaction: each file is checked row by row and staged in a
/// temporary table (binary COPY on PostgreSQL, a prepared INSERT on SQLite), checked as a whole (ids repeated
/// in the file, customers that do not exist), then moved into the real table, leaving out rows whose id is
/// there already (SQLite: INSERT ... ON CONFLICT DO NOTHING; PostgreSQL: a second reading of the file and a
/// binary COPY of the new rows), so importing the same file again changes nothing. Into an empty PostgreSQL
/// table there is no staging: one reading, the whole-file checks in memory, the rows straight into the table
/// (<see cref="EmptyTableLoad"/>). Any bad row refuses the whole import unless the caller asked to skip bad rows.
/// </summary>
public sealed class Importer(IDbConnectionFactory connections)
{
    public const int IssuesKept = 100;

    public async Task<ImportReport> ImportAsync(ImportRequest request, IImportProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var files = new List<(ImportFile Kind, string Path)>();
        if (request.Customers is { } c)
        {
            files.Add((new CustomersFile(), c));
        }
        if (request.Transactions is { } t)
        {
            files.Add((new TransactionsFile(), t));
        }
        if (request.Events is { } e)
        {
            files.Add((new EventsFile(), e));
        }
        if (files.Count == 0)
        {
            throw new ArgumentException("Give at least one of --customers, --transactions, --events.");
        }
        foreach (var (_, path) in files)
        {
            if (!File.Exists(path))
            {
                throw new ArgumentException($"File not found: {path}");
            }
        }

        await using var connection = await connections.OpenAsync(ct);
        if (connections.Dialect.Provider == DatabaseProvider.Sqlite)
        {
            // SQLite's default page cache is 2 MB: a million rows into a table with three indexes (one on random ids)
            // then spill and re-read pages all the time (measured: 830k rows took 7 minutes, mostly waiting on the disk).
            // The staging table lives in memory. Both last for this connection only; reset below before it goes back to the pool.
            await connection.ExecuteAsync(new CommandDefinition($"PRAGMA cache_size = -{SqliteCacheKiB}; PRAGMA temp_store = MEMORY", cancellationToken: ct));
        }
        try
        {
            return await ImportFilesAsync(connection, files, request, progress, ct);
        }
        finally
        {
            if (connections.Dialect.Provider == DatabaseProvider.Sqlite)
            {
                await connection.ExecuteAsync("PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT");
            }
        }
    }

    /// <summary>SQLite page cache for an import, in KiB.</summary>
    private const int SqliteCacheKiB = 256 * 1024;

    private async Task<ImportReport> ImportFilesAsync(DbConnection connection, List<(ImportFile Kind, string Path)> files, ImportRequest request, IImportProgress progress, CancellationToken ct)
    {
        var reports = new List<ImportFileReport>();
        var issues = new List<ImportIssue>();
        await using var tx = await connection.BeginTransactionAsync(ct);
        foreach (var (kind, path) in files)
        {
            var (report, fileIssues) = await ImportFileAsync(connection, tx, kind, path, request.SkipBadRows, progress, ct);
            reports.Add(report);
            issues.AddRange(fileIssues);
            if (report.BadRows > 0 && !request.SkipBadRows)
            {
                await tx.RollbackAsync(ct);
                return new ImportReport(true, reports, issues);
            }
        }
        progress.Phase("committing");
        await tx.CommitAsync(ct);
        if (connections.Dialect.Provider == DatabaseProvider.Postgres)
        {
            // Fresh statistics, so the assessment's queries are planned for the new row counts.
            await connection.ExecuteAsync(new CommandDefinition("ANALYZE customers; ANALYZE transactions; ANALYZE account_events", cancellationToken: ct));
        }
        return new ImportReport(false, reports, issues);
    }

    private async Task<(ImportFileReport, List<ImportIssue>)> ImportFileAsync(
        DbConnection connection, DbTransaction tx, ImportFile kind, string path, bool skipBadRows, IImportProgress progress, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var name = Path.GetFileName(path);
        var issues = new FileIssues(name);
        var (read, imported) = await BeginEmptyTableLoadAsync(connection, tx, kind, ct) is { } load
            ? await ImportIntoEmptyTableAsync(connection, tx, kind, path, load, skipBadRows, issues, progress, ct)
            : await ImportThroughStagingAsync(connection, tx, kind, path, skipBadRows, issues, progress, ct);
        started.Stop();
        var bad = issues.Bad;
        var good = read - bad;
        var report = new ImportFileReport(name, read, bad, imported, bad == 0 || skipBadRows ? good - imported : 0, started.Elapsed);
        progress.Done(report);
        return (report, issues.Kept);
    }

    /// <summary>A file's problems: every one counted, the first <see cref="IssuesKept"/> kept.</summary>
    private sealed class FileIssues(string file)
    {
        public List<ImportIssue> Kept { get; } = [];

        public long Bad { get; private set; }

        public void Add(long line, string message)
        {
            Bad++;
            if (Kept.Count < IssuesKept)
            {
                Kept.Add(new ImportIssue(file, line, message));
            }
        }

        /// <summary>Rows a whole-file check found bad beyond those it listed.</summary>
        public void AddUnlisted(long rows) => Bad += rows;
    }

    /// <summary>More customers than this are not held in memory for the empty-table path; the staging path joins them in the database.</summary>
    private const long MaxCustomersInMemory = 2_000_000;

    private async Task<EmptyTableLoad?> BeginEmptyTableLoadAsync(DbConnection connection, DbTransaction tx, ImportFile kind, CancellationToken ct)
    {
        if (connections.Dialect.Provider != DatabaseProvider.Postgres)
        {
            return null;
        }
        if (kind.CustomerColumn is not null && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM customers WHERE external_id IS NOT NULL", transaction: tx, cancellationToken: ct, commandTimeout: 0)) > MaxCustomersInMemory)
        {
            return null;
        }
        return await EmptyTableLoad.BeginAsync(connection, tx, kind.Table, ct);
    }

    /// <summary>
    /// PostgreSQL, into an empty table (<see cref="EmptyTableLoad"/>): one reading of the file, each good row
    /// straight into the table by binary COPY, the whole-file checks (an id repeated in the file, a customer that
    /// does not exist) done in memory as the rows pass. Returns the rows read and written; with bad rows and
    /// without <paramref name="skipBadRows"/> the COPY is left unfinished (cancelled) and the caller rolls back.
    /// </summary>
    private static async Task<(long Read, long Imported)> ImportIntoEmptyTableAsync(
        DbConnection connection, DbTransaction tx, ImportFile kind, string path, EmptyTableLoad load, bool skipBadRows, FileIssues issues, IImportProgress progress, CancellationToken ct)
    {
        var customers = new Dictionary<string, long>(StringComparer.Ordinal);
        var customerColumn = -1;
        if (kind.CustomerColumn is { } customer)
        {
            customerColumn = kind.StagingColumns.Select(c => c.Name).ToList().IndexOf(customer);
            if (customerColumn != DirectRows.CustomerColumn)
            {
                throw new InvalidOperationException($"{kind.Label}: the customer must be staged right after the id.");
            }
            // Locked by now (its foreign key was dropped): no customer comes or goes until the import ends.
            foreach (var (reference, id) in await connection.QueryAsync<(string, long)>(new CommandDefinition(
                "SELECT external_id, id FROM customers WHERE external_id IS NOT NULL", transaction: tx, cancellationToken: ct, commandTimeout: 0)))
            {
                customers[reference] = id;
            }
        }
        // The checks of the staging path, reported after the rows' own problems as there (first the repeated ids).
        var repeated = new List<(long Line, string Message)>();
        var unknown = new List<(long Line, string Message)>();
        long unlisted = 0;
        void Keep(List<(long, string)> list, long line, string format, string value)
        {
            if (list.Count < IssuesKept)
            {
                list.Add((line, Format(format, value)));
            }
            else
            {
                unlisted++;
            }
        }
        long read;
        long imported;
        await using (var rows = new DirectRows(
            await BulkTable.OpenAsync(connection, tx, kind.Table, kind.TableColumns, ct), customerColumn, customers,
            (line, id) => Keep(repeated, line, RepeatedIdMessage(kind), id),
            (line, reference) => Keep(unknown, line, UnknownCustomerMessage, reference)))
        {
            read = ReadFile(path, kind, rows, issues.Add, progress, ct);
            foreach (var (line, message) in repeated.Concat(unknown))
            {
                issues.Add(line, message);
            }
            issues.AddUnlisted(unlisted);
            if (issues.Bad > 0 && !skipBadRows)
            {
                return (read, 0);
            }
            progress.Phase("inserting");
            await rows.CompleteAsync(ct);
            imported = rows.Written;
        }
        progress.Phase("building indexes");
        await load.RebuildAsync(connection, tx, ct);
        return (read, imported);
    }

    private static string Format(string format, string value) => string.Format(System.Globalization.CultureInfo.InvariantCulture, format, value);

    private static string RepeatedIdMessage(ImportFile kind) => $"{kind.Columns[0]} '{{0}}' appears earlier in the file";

    private const string UnknownCustomerMessage = "customer_id '{0}' is not a known customer (import the customers file first, or with it)";

    /// <summary>
    /// Each file is read and checked row by row into a staging table, then checked as a whole there; the good rows
    /// whose id is not in the table yet go into it. Returns the rows read and written.
    /// </summary>
    private async Task<(long Read, long Imported)> ImportThroughStagingAsync(
        DbConnection connection, DbTransaction tx, ImportFile kind, string path, bool skipBadRows, FileIssues issues, IImportProgress progress, CancellationToken ct)
    {
        long read;
        await connection.ExecuteAsync(new CommandDefinition(kind.CreateStagingSql(connections.Dialect), transaction: tx, cancellationToken: ct));
        await using (var staging = await BulkTable.OpenAsync(connection, tx, kind.StagingTable, kind.StagingColumns, ct))
        {
            read = ReadFile(path, kind, staging, issues.Add, progress, ct);
            await staging.CompleteAsync(ct);
        }

        progress.Phase("checking");
        // PostgreSQL plans the checks with a hash join once it knows the table's size; SQLite needs an index to find repeated ids.
        var prepareChecks = connections.Dialect.Provider == DatabaseProvider.Postgres
            ? $"ANALYZE {kind.StagingTable}"
            : $"CREATE INDEX temp.ix_{kind.StagingTable}_id ON {kind.StagingTable} ({kind.IdColumn}, line)";
        await connection.ExecuteAsync(new CommandDefinition(prepareChecks, transaction: tx, cancellationToken: ct));
        foreach (var check in Checks(kind))
        {
            var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM ({check.BadLinesSql}) bad", transaction: tx, cancellationToken: ct));
            if (count == 0)
            {
                continue;
            }
            var rows = await connection.QueryAsync<(long Line, string Value)>(new CommandDefinition(
                $"{check.BadLinesSql} ORDER BY line LIMIT {IssuesKept}", transaction: tx, cancellationToken: ct));
            foreach (var (line, value) in rows)
            {
                issues.Add(line, Format(check.Message, value));
            }
            issues.AddUnlisted(count - rows.Count());
            if (skipBadRows)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    $"DELETE FROM {kind.StagingTable} WHERE line IN (SELECT line FROM ({check.BadLinesSql}) bad)", transaction: tx, cancellationToken: ct));
            }
        }

        long imported = 0;
        if (issues.Bad == 0 || skipBadRows)
        {
            progress.Phase("inserting");
            imported = connections.Dialect.Provider == DatabaseProvider.Postgres
                ? await CopyIntoTableAsync(connection, tx, kind, path, progress, ct)
                : await connection.ExecuteAsync(new CommandDefinition(kind.InsertSql, transaction: tx, cancellationToken: ct, commandTimeout: 0));
        }
        if (connections.Dialect.Provider == DatabaseProvider.Sqlite)
        {
            await connection.ExecuteAsync(new CommandDefinition($"DROP TABLE temp.{kind.StagingTable}", transaction: tx, cancellationToken: ct));
        }
        return (read, imported);
    }

    /// <summary>Reads the file's records, checks each and writes the good ones to <paramref name="rows"/>; returns the number of rows read.</summary>
    private static long ReadFile(string path, ImportFile kind, BulkTable rows, Action<long, string> issue, IImportProgress progress, CancellationToken ct)
    {
        long read = 0;
        using var file = CsvFile.Open(path);
        progress.Start(file.Name, () => file.Fraction);
        var map = ReadHeader(file, kind);
        try
        {
            while (file.Reader.Read() is { } fields)
            {
                read++;
                if (fields.Count != map.Width)
                {
                    if (fields.Count == 1 && fields[0].Length == 0)
                    {
                        read--; // A blank line (often the last one) is not a row.
                        continue;
                    }
                    issue(file.Reader.Line, $"has {fields.Count} fields, the header has {map.Width}");
                    continue;
                }
                if (kind.Stage(file.Reader.Line, new CanonicalRow(fields, map.Columns), rows) is { } problem)
                {
                    issue(file.Reader.Line, problem);
                }
                if ((read & 0x3FFF) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                    progress.Rows(read);
                }
            }
        }
        catch (FormatException e)
        {
            throw new ImportFormatException($"{file.Name}: {e.Message}");
        }
        progress.Rows(read);
        return read;
    }

    /// <summary>
    /// PostgreSQL: the checked rows go into the real table by a second reading of the file and a binary COPY,
    /// which costs the server about a third less than INSERT ... SELECT ... ON CONFLICT from the staging table
    /// (docs/benchmarks.md, Import). The staging table says which lines to write: those left after the checks
    /// whose id is not in the table yet. Returns the rows written.
    /// </summary>
    private static async Task<long> CopyIntoTableAsync(DbConnection connection, DbTransaction tx, ImportFile kind, string path, IImportProgress progress, CancellationToken ct)
    {
        var lines = (await connection.QueryAsync<long>(new CommandDefinition($"""
            SELECT s.line FROM {kind.StagingTable} s
            WHERE NOT EXISTS (SELECT 1 FROM {kind.Table} t WHERE t.{kind.IdColumn} = s.{kind.IdColumn})
            ORDER BY s.line
            """, transaction: tx, cancellationToken: ct, commandTimeout: 0))).ToArray();
        if (lines.Length == 0)
        {
            return 0;
        }
        var customers = new Dictionary<string, long>(StringComparer.Ordinal);
        var customerColumn = -1;
        if (kind.CustomerColumn is { } customer)
        {
            customerColumn = kind.StagingColumns.Select(c => c.Name).ToList().IndexOf(customer);
            var known = await connection.QueryAsync<(string Ref, long Id)>(new CommandDefinition(
                $"SELECT DISTINCT s.{customer}, c.id FROM {kind.StagingTable} s JOIN customers c ON c.external_id = s.{customer}",
                transaction: tx, cancellationToken: ct, commandTimeout: 0));
            foreach (var (reference, id) in known)
            {
                customers[reference] = id;
            }
        }
        var name = Path.GetFileName(path);
        try
        {
            await using var table = new TableRows(await BulkTable.OpenAsync(connection, tx, kind.Table, kind.TableColumns, ct), lines, customerColumn, customers);
            // The rows that were bad in the first reading are bad again, and none of them is in the list.
            ReadFile(path, kind, table, (_, _) => { }, progress, ct);
            if (!table.IsComplete)
            {
                throw new ImportFormatException($"{name}: the file changed while it was being imported (line {lines[table.Written]} was not there again)");
            }
            await table.CompleteAsync(ct);
            return table.Written;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ImportConflictException($"{name}: rows with the same {kind.Columns[0]} were added by someone else during this import ({e.ConstraintName}). Nothing was imported; run the import again.");
        }
    }

    private sealed record Check(string BadLinesSql, string Message);

    /// <summary>Checks over the whole staged file; each query selects (line, value) of the bad rows.</summary>
    private static IEnumerable<Check> Checks(ImportFile kind)
    {
        var t = kind.StagingTable;
        var id = kind.IdColumn;
        yield return new Check($"""
            SELECT s.line, s.{id} AS value FROM {t} s
            WHERE EXISTS (SELECT 1 FROM {t} f WHERE f.{id} = s.{id} AND f.line < s.line)
            """, RepeatedIdMessage(kind));
        if (kind.CustomerColumn is { } customer)
        {
            yield return new Check($"""
                SELECT s.line, s.{customer} AS value FROM {t} s
                WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.external_id = s.{customer})
                """, UnknownCustomerMessage);
        }
    }

    private sealed record HeaderMap(int Width, int[] Columns);

    private static HeaderMap ReadHeader(CsvFile file, ImportFile kind)
    {
        var header = file.Reader.Read() ?? throw new ImportFormatException($"{file.Name}: the file is empty; the first line must be the header: {string.Join(",", kind.Columns)}");
        var names = header.Select(h => h.Trim()).ToList();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var unknown = names.Where(n => !kind.Columns.Contains(n, StringComparer.Ordinal)).ToList();
        var missing = kind.Columns.Where(c => !names.Contains(c, StringComparer.Ordinal)).ToList();
        var problems = new List<string>();
        if (unknown.Count > 0)
        {
            problems.Add($"unknown column(s) {string.Join(", ", unknown)}");
        }
        if (missing.Count > 0)
        {
            problems.Add($"missing column(s) {string.Join(", ", missing)}");
        }
        if (duplicate.Count > 0)
        {
            problems.Add($"repeated column(s) {string.Join(", ", duplicate)}");
        }
        if (problems.Count > 0)
        {
            throw new ImportFormatException(
                $"{file.Name} line 1 (header): {string.Join("; ", problems)}. A {kind.Label} file has exactly these columns: {string.Join(",", kind.Columns)}");
        }
        return new HeaderMap(names.Count, [.. kind.Columns.Select(c => names.IndexOf(c))]);
    }
}
