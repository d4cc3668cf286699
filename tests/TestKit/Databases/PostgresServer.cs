using Npgsql;

namespace ClaimsOffice.TestKit.Databases;

/// <summary>
/// The PostgreSQL server the tests may use, named by the <c>CLAIMS_TEST_POSTGRES</c> environment
/// variable (an Npgsql connection string for a role that may create databases, e.g. the one
/// <c>.ci/start-postgres.sh</c> starts).
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "CLAIMS_TEST_POSTGRES";

    /// <summary>When <c>CLAIMS_TEST_REQUIRE_ALL=1</c>, an unconfigured database fails its test cases instead of skipping them.</summary>
    public const string RequireAllEnvironmentVariable = "CLAIMS_TEST_REQUIRE_ALL";

    public const string NotConfiguredMessage = "PostgreSQL not configured: set " + EnvironmentVariable;

    public static bool IsConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable));

    public static bool RequireAll => Environment.GetEnvironmentVariable(RequireAllEnvironmentVariable) == "1";

    /// <summary>The configured connection string (normally to the <c>postgres</c> database), used for CREATE/DROP DATABASE.</summary>
    /// <exception cref="InvalidOperationException">CLAIMS_TEST_POSTGRES is not set.</exception>
    public static string AdminConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException(NotConfiguredMessage) : value;
        }
    }

    /// <summary>The admin connection string pointed at another database on the same server.</summary>
    public static string ConnectionStringFor(string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database };
        return builder.ConnectionString;
    }
}
