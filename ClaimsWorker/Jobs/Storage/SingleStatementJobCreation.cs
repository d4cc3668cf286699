using System.Globalization;
using Dapper;
using Hangfire.Common;
using Hangfire.Storage;

namespace ClaimsOffice.Worker.Jobs.Storage;

/// <summary>
/// Creates a job row and its parameters in one command (ADR 0005, amendment "batched state changes"), where
/// Hangfire.PostgreSql opens a transaction, inserts the job, inserts each parameter and commits: one round trip per
/// enqueue instead of two (the INSERT with its BEGIN, the COMMIT) and one more per parameter.
/// </summary>
/// <remarks>The rows are Hangfire.PostgreSql 1.21.1's, value for value: the invocation data (arguments included, as it writes them),
/// the arguments apart (both jsonb), the creation time, its expiry, and one <c>jobparameter</c> row per parameter; one
/// statement is one implicit transaction, so a job is never there without its parameters.</remarks>
internal static class SingleStatementJobCreation
{
    public static string Create(BatchedWrites writes, Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(parameters);
        var invocationData = InvocationData.SerializeJob(job);
        var names = new string[parameters.Count];
        var values = new string?[parameters.Count];
        var i = 0;
        foreach (var (name, value) in parameters)
        {
            names[i] = name;
            values[i] = value;
            i++;
        }
        var schema = writes.Schema;
        // unnest keeps the arrays' order, so parameters get their ids in the dictionary's order, as one INSERT each would.
        var sql = $"""
            WITH job AS (
                INSERT INTO "{schema}"."job" (invocationdata, arguments, createdat, expireat)
                VALUES (@invocationData::jsonb, @arguments::jsonb, @createdAt, @expireAt)
                RETURNING id),
            parameter AS (
                INSERT INTO "{schema}"."jobparameter" (jobid, name, value)
                SELECT job.id, p.name, p.value FROM job, unnest(@names::text[], @values::text[]) WITH ORDINALITY AS p(name, value, n)
                ORDER BY p.n)
            SELECT id FROM job
            """;
        // Closed, so Dapper opens it and the pool gets it back on dispose; one statement, one implicit transaction.
        using var connection = writes.Connections.GetOrCreateConnection();
        var id = connection.ExecuteScalar<long>(sql, new
        {
            invocationData = SerializationHelper.Serialize(invocationData),
            arguments = invocationData.Arguments,
            createdAt,
            expireAt = createdAt.Add(expireIn),
            names,
            values,
        });
        return id.ToString(CultureInfo.InvariantCulture);
    }
}
