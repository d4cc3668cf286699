using ClaimsOffice.Database;

namespace ClaimsOffice.Worker.Seeding;

public sealed record DemoSeedOptions(int Customers = 1000, int Seed = 20261121);

public sealed record DemoVictim(string Kind, string FullName, string Email, string Phone, IReadOnlyList<string> DisputeReferences);

public sealed record SeedReport(int Customers, IReadOnlyList<DemoVictim> Victims);

// Placeholder until the seeder branch lands (it replaces this file).
public sealed class DemoDataSeeder(IDbConnectionFactory connections, TimeProvider clock)
{
    public Task<SeedReport> SeedAsync(DemoSeedOptions options, CancellationToken ct)
    {
        _ = connections;
        _ = clock;
        return Task.FromResult(new SeedReport(options.Customers, []));
    }
}
