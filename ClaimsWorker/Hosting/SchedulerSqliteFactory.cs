using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ClaimsOffice.Worker.Hosting;

/// <summary>
/// Quartz's connections to the SQLite schedule file. Without a busy timeout, Microsoft.Data.Sqlite
/// answers SQLITE_BUSY by sleeping 150 ms and retrying, so every collision between an enqueue and
/// the scheduler's own transactions cost 150 ms (measured by the benchmark: intake times in steps of
/// 150 ms). With <c>busy_timeout</c> SQLite waits inside, in steps of a few milliseconds; WAL lets the
/// scheduler's reads run beside a writer, and <c>synchronous = NORMAL</c> drops the fsync per commit.
/// </summary>
public sealed class SchedulerSqliteFactory : DbProviderFactory
{
    public static readonly SchedulerSqliteFactory Instance = new();

    private const string PerConnection = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";

    private SchedulerSqliteFactory()
    {
    }

    public override DbConnection CreateConnection()
    {
        var connection = new SqliteConnection();
        connection.StateChange += OnStateChange;
        return connection;
    }

    public override DbCommand CreateCommand() => SqliteFactory.Instance.CreateCommand();

    public override DbParameter CreateParameter() => SqliteFactory.Instance.CreateParameter();

    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => SqliteFactory.Instance.CreateConnectionStringBuilder();

    private static void OnStateChange(object sender, StateChangeEventArgs e)
    {
        if (e.CurrentState != ConnectionState.Open || sender is not SqliteConnection connection)
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.CommandText = PerConnection;
        command.ExecuteNonQuery();
    }
}
