using System.Text.Json;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.RuleSets;

namespace ClaimsOffice.Worker.Assessment.RuleSets;

public sealed record RuleSetChange(bool Succeeded, string Message);

/// <summary>Stores new rule-set versions and activates them; every activation is on the audit record.</summary>
public sealed class RuleSetAdministration(
    IDbConnectionFactory connections,
    RuleSetRepository repository,
    IRuleSetSource active,
    AuditLog audit,
    TimeProvider clock)
{
    /// <summary>Stores a draft as a new, inactive version after checking it builds; a taken version number is refused.</summary>
    public async Task<RuleSetChange> ImportAsync(string json, string actor, CancellationToken ct)
    {
        RuleSet ruleSet;
        try
        {
            ruleSet = RuleCatalog.Build(RuleSetDocument.Parse(json));
        }
        catch (RuleSetException ex)
        {
            return new(false, ex.Message);
        }
        await EnsureSeededAsync(ct);
        var stored = ActiveRuleSet.ToStored(ruleSet, actor, clock.GetUtcNow());
        return await repository.InsertAsync(stored, ct)
            ? new(true, $"Stored rule set {ruleSet.Version} (inactive). Backtest it, then `rules activate {ruleSet.Version}`.")
            : new(false, $"Version {ruleSet.Version} already exists; versions are never overwritten. Give the draft a new \"version\".");
    }

    public async Task<RuleSetChange> ActivateAsync(string version, string actor, CancellationToken ct)
    {
        await EnsureSeededAsync(ct);
        var now = clock.GetUtcNow();
        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (found, previous) = await repository.ActivateAsync(version, actor, now, tx, ct);
        if (!found)
        {
            await tx.RollbackAsync(ct);
            return new(false, $"There is no rule set {version}. `rules list` shows the versions.");
        }
        if (previous == version)
        {
            await tx.RollbackAsync(ct);
            return new(true, $"Rule set {version} is already active.");
        }
        await audit.AppendAsync(new AuditEntry(actor, "rule-set.activated", "rule_set", version,
            JsonSerializer.Serialize(new { version, previous }), now), tx, ct);
        await tx.CommitAsync(ct);
        return new(true, $"Rule set {version} is active (was {previous ?? "none"}); running engines pick it up within {ActiveRuleSet.CacheFor.TotalSeconds:0} s.");
    }

    /// <summary>A new database has no versions until the first assessment; listing or activating seeds it too.</summary>
    public async Task EnsureSeededAsync(CancellationToken ct) => await active.GetActiveAsync(ct);
}
