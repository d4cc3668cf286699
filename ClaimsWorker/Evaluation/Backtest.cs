using System.Globalization;
using System.Text;
using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.RuleSets;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Notifications;

namespace ClaimsOffice.Worker.Evaluation;

/// <summary>One claim whose outcome a draft changes, with the findings that moved it.</summary>
public sealed record BacktestChange(string ClaimNumber, string Truth, long Amount, string Currency, AssessmentDecision Before, AssessmentDecision After);

public sealed record BacktestReport(string ActiveVersion, string DraftVersion, Scoreboard Active, Scoreboard Draft, IReadOnlyList<BacktestChange> Changes)
{
    public int NewlyAutoPaid => Changes.Count(c => c.After.AutoApprove);
    public int NewlyReviewed => Changes.Count(c => !c.After.AutoApprove);
}

/// <summary>
/// Runs a draft rule set over past claims whose outcome is known (a truth label from an evaluation, or an
/// agent's decision) and compares it with the active set on the same evidence. Nothing is written.
/// </summary>
public sealed class Backtest(RuleSetRepository ruleSets, ClaimRepository claims, AssessmentContextLoader loader)
{
    /// <param name="limit">Replaces both sets' automatic-payout limit (null: each set's own, or the configured one).</param>
    public async Task<BacktestReport> RunAsync(RuleSet active, RuleSet draft, CustomerPart? part, long? limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(active);
        ArgumentNullException.ThrowIfNull(draft);
        if (limit is { } l)
        {
            active = active with { AutoPayoutLimit = l };
            draft = draft with { AutoPayoutLimit = l };
        }
        var before = new Scoreboard();
        var after = new Scoreboard();
        var changes = new List<BacktestChange>();
        foreach (var known in await ruleSets.ListKnownOutcomesAsync(ct))
        {
            if (part is not null && !part.Contains(known.CustomerKey))
            {
                continue;
            }
            var claim = await claims.GetAsync(known.ClaimId, ct);
            if (claim is null)
            {
                continue;
            }
            var context = await loader.LoadAsync(claim, ct);
            var a = active.Decide(context);
            var d = draft.Decide(context);
            before.Add(known.Truth, a.AutoApprove, claim.TotalAmount);
            after.Add(known.Truth, d.AutoApprove, claim.TotalAmount);
            if (a.AutoApprove != d.AutoApprove)
            {
                changes.Add(new BacktestChange(claim.ClaimNumber, known.Truth, claim.TotalAmount, claim.Currency, a, d));
            }
        }
        return new BacktestReport(active.Version, draft.Version, before, after, changes);
    }

    /// <summary>What an admin reads before activating: both tables, what changed, and a few examples with the findings that moved them.</summary>
    public static string Describe(BacktestReport report, int examples)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"backtest over {report.Active.Genuine + report.Active.False} claims with known outcomes ({report.Active.Genuine} genuine, {report.Active.False} false)");
        s.AppendLine(CultureInfo.InvariantCulture, $"active {report.ActiveVersion}:");
        s.AppendLine(report.Active.Table());
        s.AppendLine(CultureInfo.InvariantCulture, $"draft {report.DraftVersion}:");
        s.AppendLine(report.Draft.Table());
        s.AppendLine(CultureInfo.InvariantCulture, $"changed: {report.Changes.Count} claims ({report.NewlyAutoPaid} review -> auto-paid, {report.NewlyReviewed} auto-paid -> review)");
        foreach (var group in report.Changes.GroupBy(c => (c.Truth, c.After.AutoApprove)).OrderBy(g => g.Key.Truth, StringComparer.Ordinal))
        {
            var direction = group.Key.AutoApprove ? "review -> auto-paid" : "auto-paid -> review";
            s.AppendLine(CultureInfo.InvariantCulture, $"  {group.Key.Truth} {direction}: {group.Count()} claims, {string.Join(" + ", group.GroupBy(c => c.Currency, StringComparer.Ordinal).Select(g => MoneyFormat.Format(g.Sum(c => c.Amount), g.Key)))}");
            foreach (var c in group.Take(examples))
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"    {c.ClaimNumber} ({MoneyFormat.Format(c.Amount, c.Currency)}) score {c.Before.Score} -> {c.After.Score}: {Moved(c.Before, c.After)}");
            }
        }
        return s.ToString().TrimEnd();
    }

    /// <summary>The findings that differ between two decisions, as "+rule(points)" / "-rule(points)"; blocks are marked.</summary>
    public static string Moved(AssessmentDecision before, AssessmentDecision after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        static string Key(AssessmentFinding f) => f.BlocksAutoPayout ? $"{f.Rule}({f.Points},blocks)" : $"{f.Rule}({f.Points})";
        var was = before.Findings.Select(Key).ToHashSet(StringComparer.Ordinal);
        var now = after.Findings.Select(Key).ToHashSet(StringComparer.Ordinal);
        var moved = now.Except(was).Select(k => "+" + k).Concat(was.Except(now).Select(k => "-" + k)).ToList();
        return moved.Count == 0 ? "same findings, different threshold" : string.Join(" ", moved);
    }
}
