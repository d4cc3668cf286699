using Xunit;
using Xunit.Sdk;

namespace ClaimsOffice.TestKit.Databases;

/// <summary>
/// Runs a test method <c>Task X(DatabaseKind kind)</c> once per database: SQLite always, PostgreSQL
/// when <c>CLAIMS_TEST_POSTGRES</c> is set. Without it the PostgreSQL case is reported as skipped,
/// or as failed when <c>CLAIMS_TEST_REQUIRE_ALL=1</c> (CI, where nothing may skip).
/// It derives from <see cref="FactAttribute"/> rather than <see cref="TheoryAttribute"/> only because the
/// xunit analyzer xUnit1003 demands data attributes on every theory; the discoverer supplies the data.
/// </summary>
[XunitTestCaseDiscoverer("ClaimsOffice.TestKit.Databases.DatabaseTheoryDiscoverer", "ClaimsOffice.TestKit")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class DatabaseTheoryAttribute : FactAttribute;
