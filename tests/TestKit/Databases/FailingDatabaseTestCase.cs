using Xunit.Abstractions;
using Xunit.Sdk;

namespace ClaimsOffice.TestKit.Databases;

/// <summary>
/// A case for a database that is required (<c>CLAIMS_TEST_REQUIRE_ALL=1</c>) but not configured:
/// it reports a failure with <see cref="PostgresServer.NotConfiguredMessage"/> without running the method.
/// </summary>
public sealed class FailingDatabaseTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public FailingDatabaseTestCase()
    {
    }

    public FailingDatabaseTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay,
        TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod, object[] testMethodArguments)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod, testMethodArguments)
    {
    }

    public override Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments,
        ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource) =>
        new Runner(this, messageBus, aggregator, cancellationTokenSource).RunAsync();

    private sealed class Runner(IXunitTestCase testCase, IMessageBus messageBus, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
        : TestCaseRunner<IXunitTestCase>(testCase, messageBus, aggregator, cancellationTokenSource)
    {
        protected override Task<RunSummary> RunTestAsync()
        {
            var test = new XunitTest(TestCase, TestCase.DisplayName);
            var summary = new RunSummary { Total = 1 };
            if (!MessageBus.QueueMessage(new TestStarting(test)))
            {
                CancellationTokenSource.Cancel();
            }
            else
            {
                summary.Failed = 1;
                var error = new InvalidOperationException(
                    $"{PostgresServer.NotConfiguredMessage} (required because {PostgresServer.RequireAllEnvironmentVariable}=1)");
                if (!MessageBus.QueueMessage(new TestFailed(test, 0, null, error)))
                {
                    CancellationTokenSource.Cancel();
                }
            }
            if (!MessageBus.QueueMessage(new TestFinished(test, 0, null)))
            {
                CancellationTokenSource.Cancel();
            }
            return Task.FromResult(summary);
        }
    }
}
