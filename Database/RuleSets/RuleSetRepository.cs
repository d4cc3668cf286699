using System.Data.Common;
using Dapper;

namespace ClaimsOffice.Database.RuleSets;

/// <summary>One stored version of the assessment rules; <see cref="Document"/> is its JSON (docs/assessment.md).</summary>
public sealed record StoredRuleSet
{
    public long Id { get; init; }
    public required string Version { get; init; }
    public required string Description { get; init; }
    public required string Document { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public bool IsActive { get; init; }
    public DateTimeOffset? ActivatedAt { get; init; }
    public string? ActivatedBy { get; init; }
}

/// <summary>A truth label of an evaluated claim: what really happened, for scoring and backtests only.</summary>
public sealed record ClaimLabel(long ClaimId, string FileClaimId, string FileCustomerId, string Truth, string Source, DateTimeOffset LabelledAt);

/// <summary>A claim whose real outcome is known; <see cref="CustomerKey"/> is the file's customer id, or the database id for agents' decisions.</summary>
public sealed record KnownOutcome
{
    public long ClaimId { get; init; }
    public required string CustomerKey { get; init; }
    public required string Truth { get; init; }
    public required string Source { get; init; }
}

public static class ClaimTruth
{
    public const string Genuine = "genuine";
    public const string False = "false";
}

/// <summary>The rule-set aggregate: its versions and which one is active. Exactly one is active (ux_rule_sets_active).</summary>
public sealed class RuleSetRepository(IDbConnectionFactory connections)
{
    private const string Columns = "id, version, description, document, created_at, created_by, is_active, activated_at, activated_by";

    public async Task<StoredRuleSet?> GetActiveAsync(CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM rule_sets WHERE is_active = @active";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StoredRuleSet>(new CommandDefinition(sql, new { active = true }, cancellationToken: ct));
    }

    public async Task<StoredRuleSet?> GetAsync(string version, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM rule_sets WHERE version = @version";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StoredRuleSet>(new CommandDefinition(sql, new { version }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<StoredRuleSet>> ListAsync(CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM rule_sets ORDER BY created_at, id";
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<StoredRuleSet>(new CommandDefinition(sql, cancellationToken: ct))];
    }

    /// <summary>Stores a new, inactive version. False when the version number is already taken (versions are never overwritten).</summary>
    public async Task<bool> InsertAsync(StoredRuleSet ruleSet, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        const string sql = """
            INSERT INTO rule_sets (version, description, document, created_at, created_by, is_active)
            VALUES (@Version, @Description, @Document, @CreatedAt, @CreatedBy, @inactive)
            ON CONFLICT (version) DO NOTHING
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            ruleSet.Version, ruleSet.Description, ruleSet.Document, ruleSet.CreatedAt, ruleSet.CreatedBy, inactive = false,
        }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Stores and activates the first version when there is none (a new database). Safe when several
    /// processes start at once: the version's uniqueness and the single-active index let one win.
    /// </summary>
    public async Task SeedFirstAsync(StoredRuleSet ruleSet, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        const string sql = """
            INSERT INTO rule_sets (version, description, document, created_at, created_by, is_active, activated_at, activated_by)
            SELECT @Version, @Description, @Document, @CreatedAt, @CreatedBy, @active, @CreatedAt, @CreatedBy
            WHERE NOT EXISTS (SELECT 1 FROM rule_sets)
            ON CONFLICT DO NOTHING
            """;
        await using var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            ruleSet.Version, ruleSet.Description, ruleSet.Document, ruleSet.CreatedAt, ruleSet.CreatedBy, active = true,
        }, cancellationToken: ct));
    }

    /// <summary>
    /// Makes <paramref name="version"/> the active one inside the caller's transaction (the caller appends the
    /// audit entry to the same transaction). Returns the version it replaced, or null when the version does not exist.
    /// </summary>
    public async Task<(bool Found, string? Previous)> ActivateAsync(string version, string actor, DateTimeOffset now, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string previous = "SELECT version FROM rule_sets WHERE is_active = @active";
        const string exists = "SELECT COUNT(*) FROM rule_sets WHERE version = @version";
        // Off first, then on: the single-active index is checked per statement.
        const string off = "UPDATE rule_sets SET is_active = @inactive WHERE is_active = @active AND version <> @version";
        const string on = "UPDATE rule_sets SET is_active = @active, activated_at = @now, activated_by = @actor WHERE version = @version";
        var connection = tx.Connection!;
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(exists, new { version }, tx, cancellationToken: ct)) == 0)
        {
            return (false, null);
        }
        var was = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(previous, new { active = true }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(off, new { active = true, inactive = false, version }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(on, new { active = true, version, now, actor }, tx, cancellationToken: ct));
        return (true, was);
    }

    /// <summary>Records what really happened in an evaluated claim. Only scoring and backtests read it.</summary>
    public async Task LabelClaimAsync(ClaimLabel label, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(label);
        const string sql = """
            INSERT INTO claim_labels (claim_id, file_claim_id, file_customer_id, truth, source, labelled_at)
            VALUES (@ClaimId, @FileClaimId, @FileCustomerId, @Truth, @Source, @LabelledAt)
            ON CONFLICT (claim_id) DO NOTHING
            """;
        await using var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, label, cancellationToken: ct));
    }

    /// <summary>
    /// Claims whose outcome is known: a truth label from an evaluation, else a person's decision (Rejected is
    /// false; Paid after a review is genuine). Claims the engine paid with no label are not known outcomes.
    /// </summary>
    public async Task<IReadOnlyList<KnownOutcome>> ListKnownOutcomesAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT c.id AS claim_id,
                   COALESCE(l.file_customer_id, CAST(c.customer_id AS TEXT)) AS customer_key,
                   COALESCE(l.truth, CASE WHEN c.status = 'Rejected' THEN 'false' ELSE 'genuine' END) AS truth,
                   COALESCE(l.source, 'agent decision') AS source
            FROM claims c
            LEFT JOIN claim_labels l ON l.claim_id = c.id
            WHERE l.claim_id IS NOT NULL
               OR c.status = 'Rejected'
               OR (c.status = 'Paid' AND EXISTS (SELECT 1 FROM assessments a WHERE a.claim_id = c.id AND a.outcome = 'Review'))
            ORDER BY c.submitted_at, c.id
            """;
        await using var connection = await connections.OpenAsync(ct);
        return [.. await connection.QueryAsync<KnownOutcome>(new CommandDefinition(sql, cancellationToken: ct))];
    }
}
