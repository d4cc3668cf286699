using System.Data.Common;
using System.Globalization;
using ClaimsOffice.Database;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace ClaimsOffice.Worker.Bench;

internal enum BulkType
{
    Text,
    Long,
    Time,
    Double,
}

internal sealed record BulkColumn(string Name, BulkType Type);

/// <summary>
/// Writes many rows into one table as fast as each database allows: PostgreSQL's binary COPY, or on
/// SQLite one prepared INSERT whose parameters are reused inside the caller's transaction.
/// Values are written column by column in order, then <see cref="EndRow"/>.
/// </summary>
internal abstract class BulkTable : IAsyncDisposable
{
    public static async Task<BulkTable> OpenAsync(DbConnection connection, DbTransaction tx, string table, IReadOnlyList<BulkColumn> columns, CancellationToken ct)
    {
        var names = string.Join(", ", columns.Select(c => c.Name));
        return connection switch
        {
            NpgsqlConnection pg => new PostgresBulkTable(await BeginCopyAsync(pg, $"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)", ct), columns),
            SqliteConnection sqlite => new SqliteBulkTable(sqlite, (SqliteTransaction)tx, table, columns),
            _ => throw new NotSupportedException($"No bulk writer for {connection.GetType().Name}."),
        };
    }

    private static readonly TimeSpan CopyCompletionLimit = TimeSpan.FromHours(2);

    private static async Task<NpgsqlBinaryImporter> BeginCopyAsync(NpgsqlConnection connection, string copy, CancellationToken ct)
    {
        var importer = await connection.BeginBinaryImportAsync(copy, ct);
        // The server checks foreign keys and the like only when the COPY ends, for a million rows far longer than the
        // command timeout, all of it between the last row and the answer. (Zero, tried as "no limit" with Npgsql 10,
        // timed out at once, so a long finite limit.)
        importer.Timeout = CopyCompletionLimit;
        return importer;
    }

    public abstract BulkTable Text(string? value);

    public abstract BulkTable Long(long? value);

    public abstract BulkTable Time(DateTime utc);

    public abstract BulkTable Double(double? value);

    public abstract void EndRow();

    /// <summary>Finishes the table: the COPY completes here (nothing is written if this is not called).</summary>
    public abstract Task CompleteAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    private sealed class PostgresBulkTable(NpgsqlBinaryImporter importer, IReadOnlyList<BulkColumn> columns) : BulkTable
    {
        private int _column;

        private void Next()
        {
            if (_column == 0)
            {
                importer.StartRow();
            }
            _column++;
        }

        public override BulkTable Text(string? value)
        {
            Next();
            if (value is null)
            {
                importer.WriteNull();
            }
            else
            {
                importer.Write(value, NpgsqlDbType.Text);
            }
            return this;
        }

        public override BulkTable Long(long? value)
        {
            Next();
            if (value is { } v)
            {
                importer.Write(v, NpgsqlDbType.Bigint);
            }
            else
            {
                importer.WriteNull();
            }
            return this;
        }

        public override BulkTable Time(DateTime utc)
        {
            Next();
            importer.Write(utc, NpgsqlDbType.TimestampTz);
            return this;
        }

        public override BulkTable Double(double? value)
        {
            Next();
            if (value is { } v)
            {
                importer.Write(v, NpgsqlDbType.Double);
            }
            else
            {
                importer.WriteNull();
            }
            return this;
        }

        public override void EndRow()
        {
            if (_column != columns.Count)
            {
                throw new InvalidOperationException($"Row has {_column} values for {columns.Count} columns.");
            }
            _column = 0;
        }

        public override async Task CompleteAsync(CancellationToken ct) => await importer.CompleteAsync(ct);

        public override ValueTask DisposeAsync() => importer.DisposeAsync();
    }

    private sealed class SqliteBulkTable : BulkTable
    {
        private readonly SqliteCommand _command;
        private readonly SqliteParameter[] _parameters;
        private int _column;

        public SqliteBulkTable(SqliteConnection connection, SqliteTransaction tx, string table, IReadOnlyList<BulkColumn> columns)
        {
            _command = connection.CreateCommand();
            _command.Transaction = tx;
            _command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
            _parameters = [.. columns.Select((c, i) => _command.Parameters.Add($"$p{i}", c.Type switch
            {
                BulkType.Long => SqliteType.Integer,
                BulkType.Double => SqliteType.Real,
                _ => SqliteType.Text,
            }))];
            _command.Prepare();
        }

        public override BulkTable Text(string? value)
        {
            _parameters[_column++].Value = (object?)value ?? DBNull.Value;
            return this;
        }

        public override BulkTable Long(long? value)
        {
            _parameters[_column++].Value = value is { } v ? v : DBNull.Value;
            return this;
        }

        public override BulkTable Time(DateTime utc)
        {
            _parameters[_column++].Value = SqliteTime.ToText(new DateTimeOffset(utc, TimeSpan.Zero));
            return this;
        }

        public override BulkTable Double(double? value)
        {
            _parameters[_column++].Value = value is { } v ? v : DBNull.Value;
            return this;
        }

        public override void EndRow()
        {
            if (_column != _parameters.Length)
            {
                throw new InvalidOperationException($"Row has {_column} values for {_parameters.Length} columns.");
            }
            _command.ExecuteNonQuery();
            _column = 0;
        }

        public override Task CompleteAsync(CancellationToken ct) => Task.CompletedTask;

        public override ValueTask DisposeAsync() => _command.DisposeAsync();
    }
}
