using System.Data.Common;
using System.Globalization;
using Dapper;

namespace ClaimsOffice.Database.Assessments;

public sealed record AssessmentFinding
{
    public required string Rule { get; init; }
    /// <summary>Positive points support the claim (looks like fraud by someone else), negative points count against it.</summary>
    public int Points { get; init; }
    /// <summary>When true the claim needs a person whatever the score (e.g. the customer's own long-trusted device).</summary>
    public bool BlocksAutoPayout { get; init; }
    public required string Summary { get; init; }
    /// <summary>The numbers behind the finding, as JSON.</summary>
    public required string Evidence { get; init; }
}

public sealed record Assessment
{
    public long Id { get; init; }
    public long ClaimId { get; init; }
    public required string RuleSetVersion { get; init; }
    public required string Outcome { get; init; }
    public int Score { get; init; }
    public DateTimeOffset AssessedAt { get; init; }
    public IReadOnlyList<AssessmentFinding> Findings { get; init; } = [];
}

public static class AssessmentOutcome
{
    public const string AutoApprove = "AutoApprove";
    public const string Review = "Review";
}

public sealed class AssessmentRepository(IDbConnectionFactory connections)
{
    private const string InsertHead = """
        INSERT INTO assessments (claim_id, rule_set_version, outcome, score, assessed_at)
        VALUES (@ClaimId, @RuleSetVersion, @Outcome, @Score, @AssessedAt)
        RETURNING id
        """;

    /// <summary>Writes the assessment and its findings: one statement on PostgreSQL, two on SQLite.</summary>
    public async Task<long> InsertAsync(Assessment assessment, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(tx);
        var connection = tx.Connection!;
        var parameters = new DynamicParameters();
        var rows = AddParameters(assessment, parameters);
        if (rows.Length == 0)
        {
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertHead, parameters, tx, cancellationToken: ct));
        }
        if (connections.Dialect.Provider == DatabaseProvider.Postgres)
        {
            var sql = $"""
                WITH a AS ({InsertHead}),
                {PostgresFindingsCte(rows)}
                SELECT id FROM a
                """;
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
        }
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertHead, parameters, tx, cancellationToken: ct));
        parameters.Add("AssessmentId", id);
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO assessment_findings (assessment_id, rule, points, blocks_auto_payout, summary, evidence) SELECT @AssessmentId, column1, column2, column3, column4, column5 FROM (VALUES {rows}) ORDER BY column6",
            parameters, tx, cancellationToken: ct));
        return id;
    }

    /// <summary>
    /// Runs the claim's guarded state change (<paramref name="move"/>, from <see cref="Claims.ClaimRepository.MarkPaid"/> or
    /// <see cref="Claims.ClaimRepository.MarkInReview"/>) and, only if it moved the claim, writes the assessment and its
    /// findings. Returns the assessment's id, or null when the claim had already moved on (nothing written). The update
    /// stays the first write: a concurrent run of the same claim waits on the row, then finds it moved on.
    /// PostgreSQL: one statement; SQLite: the update, then <see cref="InsertAsync"/>.
    /// </summary>
    public async Task<long?> InsertIfMovedAsync(SqlStatement move, Assessment assessment, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(move);
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(tx);
        var connection = tx.Connection!;
        if (connections.Dialect.Provider != DatabaseProvider.Postgres)
        {
            var moved = await connection.ExecuteAsync(new CommandDefinition(move.Sql, move.Parameters, tx, cancellationToken: ct)) == 1;
            return moved ? await InsertAsync(assessment, tx, ct) : null;
        }
        var parameters = new DynamicParameters();
        var rows = AddParameters(assessment, parameters);
        move.AddParametersTo(parameters);
        // The assessment row is selected from the update's RETURNING: no moved claim, no row, and then no findings.
        var sql = $"""
            WITH moved AS ({move.Sql} RETURNING id),
            a AS (
                INSERT INTO assessments (claim_id, rule_set_version, outcome, score, assessed_at)
                SELECT @ClaimId, @RuleSetVersion, @Outcome, @Score, @AssessedAt FROM moved
                RETURNING id){(rows.Length == 0 ? "" : ",\n" + PostgresFindingsCte(rows))}
            SELECT id FROM a
            """;
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
    }

    /// <summary>The CTE <c>f</c> that writes the findings of the assessment inserted by the CTE <c>a</c>, in the rule set's order.</summary>
    private static string PostgresFindingsCte(string rows) => $"""
        f AS (
            INSERT INTO assessment_findings (assessment_id, rule, points, blocks_auto_payout, summary, evidence)
            SELECT a.id, v.rule, v.points, v.blocks_auto_payout, v.summary, v.evidence
            FROM a, (VALUES {rows}) v (rule, points, blocks_auto_payout, summary, evidence, ord)
            ORDER BY v.ord)
        """;

    /// <summary>Adds the assessment's parameters; returns the findings' VALUES rows (empty when there are none).</summary>
    private static string AddParameters(Assessment assessment, DynamicParameters parameters)
    {
        parameters.Add("ClaimId", assessment.ClaimId);
        parameters.Add("RuleSetVersion", assessment.RuleSetVersion);
        parameters.Add("Outcome", assessment.Outcome);
        parameters.Add("Score", assessment.Score);
        parameters.Add("AssessedAt", assessment.AssessedAt);
        var rows = new List<string>(assessment.Findings.Count);
        for (var i = 0; i < assessment.Findings.Count; i++)
        {
            var f = assessment.Findings[i];
            // The findings keep the rule set's order (their ids order them when read back).
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"(@Rule{i}, CAST(@Points{i} AS INTEGER), @BlocksAutoPayout{i}, @Summary{i}, @Evidence{i}, {i})"));
            parameters.Add($"Rule{i}", f.Rule);
            parameters.Add($"Points{i}", f.Points);
            parameters.Add($"BlocksAutoPayout{i}", f.BlocksAutoPayout);
            parameters.Add($"Summary{i}", f.Summary);
            parameters.Add($"Evidence{i}", f.Evidence);
        }
        return string.Join(", ", rows);
    }

    public async Task<Assessment?> GetLatestForClaimAsync(long claimId, CancellationToken ct)
    {
        const string head = """
            SELECT id, claim_id, rule_set_version, outcome, score, assessed_at
            FROM assessments WHERE claim_id = @claimId ORDER BY id DESC LIMIT 1
            """;
        const string findings = """
            SELECT rule, points, blocks_auto_payout, summary, evidence
            FROM assessment_findings WHERE assessment_id = @id ORDER BY id
            """;
        await using var connection = await connections.OpenAsync(ct);
        var assessment = await connection.QuerySingleOrDefaultAsync<Assessment>(new CommandDefinition(head, new { claimId }, cancellationToken: ct));
        if (assessment is null)
        {
            return null;
        }
        var rows = await connection.QueryAsync<AssessmentFinding>(new CommandDefinition(findings, new { id = assessment.Id }, cancellationToken: ct));
        return assessment with { Findings = [.. rows] };
    }
}
