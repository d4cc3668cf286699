using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Hosting;
using Dapper;
using Npgsql;
using Xunit;

namespace ClaimsOffice.Worker.Tests.Jobs;

public sealed class JobStorageConnectionTests
{
    private static async Task<(string Value, string Source)> SynchronousCommitAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await connection.QuerySingleAsync<(string, string)>("SELECT setting, source FROM pg_settings WHERE name = 'synchronous_commit'");
    }

    [PostgresFact]
    public async Task Only_hangfire_bookkeeping_commits_without_waiting_for_the_disk_the_claims_do_not()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var jobs = JobsServiceCollectionExtensions.JobStorageConnectionString(db.Options, new WorkerOptions());

        Assert.Equal(("off", "client"), await SynchronousCommitAsync(jobs));
        // The repositories' sessions keep the server's setting (durable on a production server).
        Assert.NotEqual("client", (await SynchronousCommitAsync(db.Options.ConnectionString)).Source);
        // Options already in the connection string are kept.
        var withOptions = new NpgsqlConnectionStringBuilder(db.Options.ConnectionString) { Options = "-c statement_timeout=5000" }.ToString();
        var both = new NpgsqlConnectionStringBuilder(JobsServiceCollectionExtensions.JobStorageConnectionString(db.Options with { ConnectionString = withOptions }, new WorkerOptions()));
        Assert.Equal("-c statement_timeout=5000 -c synchronous_commit=off", both.Options);
    }
}
