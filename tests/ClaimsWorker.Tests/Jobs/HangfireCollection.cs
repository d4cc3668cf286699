using Xunit;

namespace ClaimsOffice.Worker.Tests.Jobs;

/// <summary>
/// The tests that run real Hangfire servers and worker processes run one at a time and alone: Hangfire keeps
/// process-wide configuration (GlobalConfiguration, its log provider), and the failover test times a real
/// process that must not compete with the rest of the suite for two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HangfireCollection
{
    public const string Name = "Hangfire servers";
}
