using Xunit;

namespace ClaimsOffice.TestKit.Databases;

/// <summary>
/// A test about PostgreSQL alone (its pools, its server): skipped without <c>CLAIMS_TEST_POSTGRES</c>, except under
/// <c>CLAIMS_TEST_REQUIRE_ALL=1</c>, where it runs and fails for want of a server, as <see cref="DatabaseTheoryAttribute"/> does.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!PostgresServer.IsConfigured && !PostgresServer.RequireAll)
        {
            Skip = PostgresServer.NotConfiguredMessage;
        }
    }
}
