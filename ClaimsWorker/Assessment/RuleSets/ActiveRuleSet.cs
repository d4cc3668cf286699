using ClaimsOffice.Database.RuleSets;

namespace ClaimsOffice.Worker.Assessment.RuleSets;

/// <summary>Where the assessment gets the rule set to apply.</summary>
public interface IRuleSetSource
{
    ValueTask<RuleSet> GetActiveAsync(CancellationToken ct);
}

/// <summary>
/// The active rule set from the database, kept for a few seconds so a busy engine does not read it per
/// claim; a new activation takes effect within <see cref="CacheFor"/>. A new database gets
/// <see cref="RuleSet.Default"/> as its first, active version at start-up (<see cref="SeedAsync"/>).
/// </summary>
public sealed class ActiveRuleSet(RuleSetRepository repository, TimeProvider clock) : IRuleSetSource
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (RuleSet RuleSet, string Document, DateTimeOffset ReadAt)? _cached;

    public async ValueTask<RuleSet> GetActiveAsync(CancellationToken ct)
    {
        if (_cached is { } hit && Fresh(hit.ReadAt))
        {
            return hit.RuleSet;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (_cached is { } again && Fresh(again.ReadAt))
            {
                return again.RuleSet;
            }
            var stored = await repository.GetActiveAsync(ct);
            if (stored is null)
            {
                // Start-up seeds (SeedAsync); this is the safety net for hosts that never ran it (tests, one-shot tools).
                await SeedAsync(ct);
                stored = await repository.GetActiveAsync(ct)
                    ?? throw new InvalidOperationException("Rule sets exist but none is active; activate one with `rules activate <version>`.");
            }
            // Parsing is skipped while the active document is unchanged.
            var ruleSet = _cached is { } old && old.Document == stored.Document
                ? old.RuleSet
                : RuleCatalog.Build(RuleSetDocument.Parse(stored.Document));
            _cached = (ruleSet, stored.Document, clock.GetUtcNow());
            return ruleSet;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Stores <see cref="RuleSet.Default"/> as the first, active version when the database has no rule set yet;
    /// does nothing otherwise. Run at start-up right after the migrations, so a new database shows its rule set
    /// (`rules list`, the staff pages) before the first claim arrives.
    /// </summary>
    public Task SeedAsync(CancellationToken ct) => repository.SeedFirstAsync(ToStored(RuleSet.Default, "system:seed", clock.GetUtcNow()), ct);

    /// <summary>Wall-clock age, so a simulated clock (evaluate, tests) moves the cache along with it.</summary>
    private bool Fresh(DateTimeOffset readAt)
    {
        var age = clock.GetUtcNow() - readAt;
        return age >= TimeSpan.Zero && age < CacheFor;
    }

    public static StoredRuleSet ToStored(RuleSet ruleSet, string actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        return new StoredRuleSet
        {
            Version = ruleSet.Version,
            Description = ruleSet.Description,
            Document = (ruleSet.Document ?? throw new InvalidOperationException("A rule set built in code has no document.")).ToJson(),
            CreatedAt = now,
            CreatedBy = actor,
        };
    }
}
