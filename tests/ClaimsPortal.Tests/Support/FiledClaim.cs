using ClaimsOffice.Database.Claims;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Intake;

namespace ClaimsOffice.Portal.Tests.Support;

/// <summary>A credential-stuffing victim's claim filed through the real intake, not yet assessed.</summary>
public static class FiledClaim
{
    public static async Task<(Victim Victim, Claim Claim)> CreateAsync(TestDatabase db, EngineHost engine)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(engine);
        var victim = await Scenarios.CredentialStuffingVictimAsync(db.Connections, DateTimeOffset.UtcNow);
        var filed = await engine.GetRequiredService<ClaimIntake>().FileAsync(
            new FileClaimRequest(victim.Customer.Id, victim.DisputedReferences, "Someone bought gift cards with my wallet."), CancellationToken.None);
        Assert.True(filed.Succeeded, string.Join("; ", filed.Errors.Select(e => e.Message)));
        // As a page would have it: read back from the database (stored precision), not the intake's in-memory copy.
        var stored = await engine.GetRequiredService<ClaimRepository>().GetAsync(filed.Claim!.Id, CancellationToken.None);
        return (victim, stored!);
    }
}
