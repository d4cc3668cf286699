using ClaimsOffice.Database;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.RuleSets;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Intake;
using Dapper;

namespace ClaimsOffice.Worker.Evaluation;

public sealed record EvaluationOptions(bool SkipBadRows, CustomerPart? Part, Action<string> Progress);

public sealed record EvaluationResult(Scoreboard Score, IReadOnlyList<LineError> Errors, int Filed, int NotFiled, bool Refused);

/// <summary>
/// Files every claim of a labelled claims file through the real intake at its filed_at (on the simulated
/// clock), lets the engine assess it at once, and scores what it did against the truth. The truth is
/// stored only after the engine decided, in claim_labels, which the engine never reads.
/// </summary>
public sealed class EvaluationRun(
    IDbConnectionFactory connections,
    TransactionRepository transactions,
    ClaimIntake intake,
    AssessmentService assessment,
    ClaimRepository claims,
    RuleSetRepository labels,
    SimulatedClock clock)
{
    public async Task<EvaluationResult> RunAsync(IReadOnlyList<ClaimRow> rows, EvaluationOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Part is { } part)
        {
            rows = [.. rows.Where(r => part.Contains(r.CustomerId))];
        }
        options.Progress($"checking {rows.Count:N0} claims against the imported customers and transactions");
        var (resolved, errors) = await ResolveAsync(rows, ct);
        if (errors.Count > 0 && !options.SkipBadRows)
        {
            return new EvaluationResult(new Scoreboard(), errors, 0, 0, Refused: true);
        }

        var score = new Scoreboard();
        var filed = 0;
        var notFiled = 0;
        foreach (var (row, customerId) in resolved.OrderBy(r => r.Row.FiledAt).ThenBy(r => r.Row.Line))
        {
            clock.AdvanceTo(row.FiledAt);
            var description = row.Description.Length > 0 ? row.Description : "Reported as not mine (claims file, no description).";
            var result = await intake.FileAsync(new FileClaimRequest(customerId, row.TransactionIds, description), ct);
            if (result.Claim is not { } claim)
            {
                errors.Add(new LineError(row.Line, "not filed: " + string.Join(" ", result.Errors.Select(e => e.Message))));
                notFiled++;
                continue;
            }
            filed++;
            await assessment.AssessAsync(claim.Id, ct);
            var after = await claims.GetAsync(claim.Id, ct);
            var paid = after?.Status == ClaimStatus.Paid;
            await labels.LabelClaimAsync(new ClaimLabel(claim.Id, row.ClaimId, row.CustomerId, row.Truth, "evaluate", clock.GetUtcNow()), ct);
            score.Add(row.Truth, paid, claim.TotalAmount);
            if (filed % 500 == 0)
            {
                options.Progress($"{filed:N0}/{resolved.Count:N0} filed and assessed; {score.SummaryLine("so far")}");
            }
        }
        return new EvaluationResult(score, errors, filed, notFiled, Refused: false);
    }

    /// <summary>
    /// Every customer and transaction must exist, and each transaction must be the claimant's and money
    /// that left the account; a problem is reported with its line before anything is filed.
    /// </summary>
    private async Task<(List<(ClaimRow Row, long CustomerId)> Resolved, List<LineError> Errors)> ResolveAsync(IReadOnlyList<ClaimRow> rows, CancellationToken ct)
    {
        var customers = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var connection = await connections.OpenAsync(ct))
        {
            foreach (var chunk in rows.Select(r => r.CustomerId).Distinct(StringComparer.Ordinal).Chunk(500))
            {
                var parameters = new DynamicParameters();
                var sql = $"SELECT external_id, id FROM customers WHERE external_id IN {SqlList.In(parameters, "k", chunk)}";
                foreach (var (key, id) in await connection.QueryAsync<(string, long)>(new CommandDefinition(sql, parameters, cancellationToken: ct)))
                {
                    customers[key] = id;
                }
            }
        }
        var found = (await transactions.GetByReferencesAsync([.. rows.SelectMany(r => r.TransactionIds).Distinct(StringComparer.Ordinal)], ct))
            .ToDictionary(t => t.Reference, StringComparer.Ordinal);

        var resolved = new List<(ClaimRow, long)>();
        var errors = new List<LineError>();
        var claimedBy = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var problems = new List<string>();
            if (!customers.TryGetValue(row.CustomerId, out var customerId))
            {
                problems.Add($"customer {row.CustomerId} does not exist (import customers.csv first)");
            }
            foreach (var id in row.TransactionIds)
            {
                if (!found.TryGetValue(id, out var t))
                {
                    problems.Add($"transaction {id} does not exist");
                }
                else if (t.CustomerId != customerId)
                {
                    problems.Add($"transaction {id} belongs to another customer");
                }
                else if (!t.IsOutgoing)
                {
                    problems.Add($"transaction {id} is a {t.Kind}: money that came in cannot be disputed");
                }
                else if (t.LiveClaimNumber is { } live)
                {
                    problems.Add($"transaction {id} is already in claim {live} (evaluate a freshly imported database)");
                }
                else if (claimedBy.TryGetValue(id, out var other))
                {
                    problems.Add($"transaction {id} is also claimed on line {other}");
                }
                else if (t.OccurredAt > row.FiledAt)
                {
                    problems.Add($"transaction {id} happened after the claim was filed");
                }
            }
            if (problems.Count > 0)
            {
                errors.Add(new LineError(row.Line, string.Join("; ", problems) + "."));
                continue;
            }
            foreach (var id in row.TransactionIds)
            {
                claimedBy[id] = row.Line;
            }
            resolved.Add((row, customerId));
        }
        return (resolved, errors);
    }
}
