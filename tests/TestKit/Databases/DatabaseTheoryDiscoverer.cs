using Xunit.Abstractions;
using Xunit.Sdk;

namespace ClaimsOffice.TestKit.Databases;

/// <summary>Makes the test cases of a <see cref="DatabaseTheoryAttribute"/> method: one per <see cref="DatabaseKind"/>.</summary>
public sealed class DatabaseTheoryDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();

        var parameters = testMethod.Method.GetParameters().ToList();
        if (parameters.Count != 1 || parameters[0].ParameterType.Name != typeof(DatabaseKind).FullName)
        {
            return
            [
                new ExecutionErrorTestCase(diagnosticMessageSink, display, displayOptions, testMethod,
                    $"[DatabaseTheory] method {testMethod.Method.Name} must take exactly one parameter of type {nameof(DatabaseKind)}."),
            ];
        }

        var cases = new List<IXunitTestCase>
        {
            new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod, [DatabaseKind.Sqlite]),
        };
        if (PostgresServer.IsConfigured)
        {
            cases.Add(new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod, [DatabaseKind.Postgres]));
        }
        else if (PostgresServer.RequireAll)
        {
            cases.Add(new FailingDatabaseTestCase(diagnosticMessageSink, display, displayOptions, testMethod, [DatabaseKind.Postgres]));
        }
        else
        {
            cases.Add(new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod,
                PostgresServer.NotConfiguredMessage, [DatabaseKind.Postgres]));
        }
        return cases;
    }
}
