using ClaimsOffice.Database;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Intake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace ClaimsOffice.Worker.Tests.Intake;

/// <summary>A process holds at most Database:MaxPoolSize connections to PostgreSQL, however hard it is pressed.</summary>
public sealed class ConnectionBudgetTests
{
    private const int Budget = 5;
    private const int Claims = 200;

    [PostgresFact]
    public async Task Two_hundred_claims_filed_and_assessed_at_once_never_hold_more_connections_than_the_budget()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var application = "budget-" + Guid.NewGuid().ToString("N")[..8];
        // A long wait for a free connection: this test is about the bound, not about giving up.
        var options = new DatabaseOptions(DatabaseProvider.Postgres, db.ConnectionString + ";Timeout=300", Budget, application);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock, s => s.Replace(ServiceDescriptor.Singleton(options)));
        var customers = new List<(long Customer, string Reference)>();
        for (var i = 0; i < Claims; i++)
        {
            var customer = await new CustomerBuilder().InsertAsync(db.Connections);
            var payment = await new TransactionBuilder(customer.Id).InsertAsync(db.Connections);
            customers.Add((customer.Id, payment.Reference));
        }
        var intake = host.GetRequiredService<ClaimIntake>();
        var assessment = host.GetRequiredService<AssessmentService>();

        using var stop = new CancellationTokenSource();
        var sampler = SampleConnectionsAsync(db, application, stop.Token);
        var outcomes = await Task.WhenAll(customers.Select(c => Task.Run(async () =>
        {
            var filed = await intake.FileAsync(new FileClaimRequest(c.Customer, [c.Reference], "Not me."), CancellationToken.None);
            Assert.True(filed.Succeeded, string.Join("; ", filed.Errors.Select(e => e.Message)));
            return await assessment.AssessAsync(filed.Claim!.Id, CancellationToken.None);
        })));
        await stop.CancelAsync();
        var samples = await sampler;

        Assert.All(outcomes, o => Assert.Contains(o, new[] { AssessmentResult.Paid, AssessmentResult.InReview }));
        Assert.Equal(Claims, await db.CountAsync("claims", "status IN (@Paid, @InReview)", new { ClaimStatus.Paid, ClaimStatus.InReview }));
        Assert.True(samples.Count > 10, $"only {samples.Count} samples of pg_stat_activity were taken");
        Assert.All(samples, open => Assert.InRange(open, 0, Budget));
        // The pool was used to its bound, so a process that opened more would have been seen doing it.
        Assert.Contains(Budget, samples);
    }

    /// <summary>Counts the process's connections in pg_stat_activity as often as it can until stopped.</summary>
    private static async Task<List<long>> SampleConnectionsAsync(TestDatabase db, string application, CancellationToken stop)
    {
        var samples = new List<long>();
        var unpooled = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false, ApplicationName = "budget-sampler" };
        await using var connection = new NpgsqlConnection(unpooled.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = @application", connection);
        count.Parameters.AddWithValue("application", application);
        await count.PrepareAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            // pg_stat_activity is a snapshot per transaction: each sample runs in its own.
            samples.Add((long)(await count.ExecuteScalarAsync(CancellationToken.None))!);
        }
        return samples;
    }

    [PostgresFact]
    public async Task A_claim_filed_while_the_pool_is_exhausted_fails_clearly_and_leaves_nothing_behind()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var options = new DatabaseOptions(DatabaseProvider.Postgres, db.ConnectionString + ";Timeout=1", 2, "exhausted-" + Guid.NewGuid().ToString("N")[..8]);
        await using var host = EngineHost.Create(db, new FixedClock(), s => s.Replace(ServiceDescriptor.Singleton(options)));
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var payment = await new TransactionBuilder(customer.Id).InsertAsync(db.Connections);
        var connections = host.GetRequiredService<IDbConnectionFactory>();
        var intake = host.GetRequiredService<ClaimIntake>();
        var request = new FileClaimRequest(customer.Id, [payment.Reference], "Not me.");

        var error = await HoldingEveryConnectionAsync(connections, 2,
            () => Assert.ThrowsAsync<DatabaseUnavailableException>(() => intake.FileAsync(request, CancellationToken.None)));

        Assert.True(error.PoolExhausted);
        Assert.StartsWith("All 2 connections of this process's database pool stayed busy for 1 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("raise Database:MaxPoolSize (now 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("docs/runbook.md", error.Message, StringComparison.Ordinal);
        Assert.IsType<NpgsqlException>(error.InnerException);
        Assert.Equal(0, await db.CountAsync("claims"));
        Assert.Empty(host.Queue.Enqueued);

        // Once a connection is free again the same claim goes through.
        var filed = await intake.FileAsync(request, CancellationToken.None);
        Assert.True(filed.Succeeded);
        Assert.Equal(1, await db.CountAsync("claims"));
    }

    private static async Task<T> HoldingEveryConnectionAsync<T>(IDbConnectionFactory connections, int count, Func<Task<T>> action)
    {
        var held = new List<System.Data.Common.DbConnection>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                held.Add(await connections.OpenAsync(CancellationToken.None));
            }
            return await action();
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
