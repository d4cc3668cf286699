using System.Data.Common;
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
    public async Task<long> InsertAsync(Assessment assessment, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(tx);
        const string insert = """
            INSERT INTO assessments (claim_id, rule_set_version, outcome, score, assessed_at)
            VALUES (@ClaimId, @RuleSetVersion, @Outcome, @Score, @AssessedAt)
            RETURNING id
            """;
        const string finding = """
            INSERT INTO assessment_findings (assessment_id, rule, points, blocks_auto_payout, summary, evidence) VALUES
            """;
        var connection = tx.Connection!;
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insert, assessment, tx, cancellationToken: ct));
        if (assessment.Findings.Count == 0)
        {
            return id;
        }
        // All findings in one statement: one round trip instead of one per rule.
        var parameters = new DynamicParameters(new { AssessmentId = id });
        var rows = new List<string>(assessment.Findings.Count);
        for (var i = 0; i < assessment.Findings.Count; i++)
        {
            var f = assessment.Findings[i];
            rows.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"(@AssessmentId, @Rule{i}, @Points{i}, @BlocksAutoPayout{i}, @Summary{i}, @Evidence{i})"));
            parameters.Add($"Rule{i}", f.Rule);
            parameters.Add($"Points{i}", f.Points);
            parameters.Add($"BlocksAutoPayout{i}", f.BlocksAutoPayout);
            parameters.Add($"Summary{i}", f.Summary);
            parameters.Add($"Evidence{i}", f.Evidence);
        }
        await connection.ExecuteAsync(new CommandDefinition(finding + " " + string.Join(", ", rows), parameters, tx, cancellationToken: ct));
        return id;
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
