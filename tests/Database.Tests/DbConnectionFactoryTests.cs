using System.Net;
using System.Net.Sockets;

namespace ClaimsOffice.Database.Tests;

public sealed class DbConnectionFactoryTests
{
    [Fact]
    public async Task A_postgres_server_that_does_not_answer_gives_an_error_that_says_so()
    {
        // A port on which nothing listens: taken from the system, then given back.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var factory = new DbConnectionFactory(new DatabaseOptions(DatabaseProvider.Postgres,
            $"Host=127.0.0.1;Port={port};Username=claims;Password=claims;Database=claims;Timeout=3"));

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => factory.OpenAsync(CancellationToken.None));

        Assert.False(error.PoolExhausted);
        Assert.StartsWith($"Cannot reach PostgreSQL at 127.0.0.1:{port}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check that PostgreSQL is running and reachable (pg_isready)", error.Message, StringComparison.Ordinal);
        Assert.IsType<Npgsql.NpgsqlException>(error.InnerException);
    }
}
