using ClaimsOffice.Worker.Intake;
using Microsoft.Extensions.Logging;

namespace ClaimsOffice.Worker.Seeding;

/// <summary>
/// Embedded mode, right after a fresh demo seed: the mule-transfer victims report their losses through the ordinary
/// intake, so the assessment sends them to people and the staff pages have a queue and a campaign to show.
/// The other incidents stay unreported: they are for a person trying the demo to report.
/// </summary>
public sealed class DemoClaims(ClaimIntake intake, ILogger<DemoClaims> logger)
{
    public const string Description = "Someone signed in from a phone I do not own, changed my e-mail and sent my money to a stranger.";

    public async Task<int> FileAsync(SeedReport seed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var filed = 0;
        foreach (var incident in seed.Incidents.Where(i => i.Kind == DemoVictimKinds.MuleTransfer))
        {
            var result = await intake.FileAsync(new FileClaimRequest(incident.CustomerId, incident.References, Description), ct);
            if (result.Claim is null)
            {
                logger.LogWarning("Demo claim for customer {CustomerId} refused: {Errors}", incident.CustomerId, string.Join(" ", result.Errors.Select(e => e.Message)));
                continue;
            }
            filed++;
        }
        return filed;
    }
}
