using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Hosting;
using Dapper;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Xunit;

namespace ClaimsOffice.Worker.Tests.Jobs.Storage;

/// <summary>
/// A job created in one command is the job Hangfire.PostgreSql would have created: the same rows, read back the same.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class SingleStatementJobCreationTests
{
    public static void Assess(string claim, int attempt, DateTime at) => GC.KeepAlive((claim, attempt, at));

    private static readonly DateTime At = new(2026, 11, 26, 7, 30, 15, DateTimeKind.Utc);

    private static Job SampleJob() => Job.FromExpression(() => Assess("claim-7 \"quoted\"", 3, At));

    private sealed record JobRow(string InvocationData, string Arguments, DateTime CreatedAt, TimeSpan Lifetime);

    private sealed record ParameterRow(string Name, string? Value);

    private static async Task<JobRow> JobRowAsync(TestDatabase db, string id)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<JobRow>(
            "SELECT invocationdata::text AS invocation_data, arguments::text AS arguments, createdat AS created_at, expireat - createdat AS lifetime FROM hangfire.job WHERE id = @id",
            new { id = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) });
    }

    private static async Task<List<ParameterRow>> ParametersAsync(TestDatabase db, string id)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<ParameterRow>(
            "SELECT name, value FROM hangfire.jobparameter WHERE jobid = @id ORDER BY id",
            new { id = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) })).ToList();
    }

    private static JobStorage HangfirePostgreSql(TestDatabase db)
    {
        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(db.Options.ConnectionString, options), options);
    }

    [PostgresFact]
    public async Task A_job_and_its_parameters_are_the_rows_hangfire_postgresql_writes()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var ours = JobsServiceCollectionExtensions.CreateStorage(db.Options, new WorkerOptions(), db.Connections);
        var theirs = HangfirePostgreSql(db);
        var parameters = new Dictionary<string, string>
        {
            ["CurrentCulture"] = "en-GB",
            ["RetryCount"] = "0",
            ["Note"] = "it's \"quoted\", ünïcode",
            ["Empty"] = null!,
        };
        var createdAt = DateTime.UtcNow;
        var expireIn = TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(250);

        string ourId, theirId;
        using (var connection = ours.GetConnection())
        {
            ourId = connection.CreateExpiredJob(SampleJob(), parameters, createdAt, expireIn);
        }
        using (var connection = theirs.GetConnection())
        {
            theirId = connection.CreateExpiredJob(SampleJob(), parameters, createdAt, expireIn);
        }

        Assert.NotEqual(theirId, ourId);
        var ourRow = await JobRowAsync(db, ourId);
        Assert.Equal(await JobRowAsync(db, theirId), ourRow);
        Assert.Equal(expireIn, ourRow.Lifetime);
        Assert.Equal(await ParametersAsync(db, theirId), await ParametersAsync(db, ourId));
        Assert.Equal(4, (await ParametersAsync(db, ourId)).Count);

        // Hangfire reads it back as the job it was given, through either storage.
        foreach (var storage in new[] { ours, theirs })
        {
            using var connection = storage.GetConnection();
            var data = connection.GetJobData(ourId);
            Assert.Null(data.LoadException);
            Assert.Equal(typeof(SingleStatementJobCreationTests), data.Job.Type);
            Assert.Equal(nameof(Assess), data.Job.Method.Name);
            Assert.Equal(["claim-7 \"quoted\"", 3, At], data.Job.Args);
            Assert.Equal("it's \"quoted\", ünïcode", connection.GetJobParameter(ourId, "Note"));
            Assert.Null(connection.GetJobParameter(ourId, "Empty"));
        }
    }

    [PostgresFact]
    public async Task A_job_without_parameters_is_created_alone()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var ours = JobsServiceCollectionExtensions.CreateStorage(db.Options, new WorkerOptions(), db.Connections);
        var theirs = HangfirePostgreSql(db);
        var createdAt = DateTime.UtcNow;

        string ourId, theirId;
        using (var connection = ours.GetConnection())
        {
            ourId = connection.CreateExpiredJob(SampleJob(), new Dictionary<string, string>(), createdAt, TimeSpan.FromMinutes(30));
            Assert.Throws<ArgumentNullException>(() => connection.CreateExpiredJob(SampleJob(), null!, createdAt, TimeSpan.FromMinutes(30)));
        }
        using (var connection = theirs.GetConnection())
        {
            theirId = connection.CreateExpiredJob(SampleJob(), new Dictionary<string, string>(), createdAt, TimeSpan.FromMinutes(30));
        }

        Assert.Equal(await JobRowAsync(db, theirId), await JobRowAsync(db, ourId));
        Assert.Empty(await ParametersAsync(db, ourId));
        // The refused call wrote nothing: two jobs, ours and theirs.
        Assert.Equal(2, await db.CountAsync("hangfire.job"));
    }
}
