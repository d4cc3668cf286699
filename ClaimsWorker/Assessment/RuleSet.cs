using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment;

public sealed record AssessmentDecision(string Outcome, int Score, IReadOnlyList<AssessmentFinding> Findings)
{
    public bool AutoApprove => Outcome == AssessmentOutcome.AutoApprove;
}

/// <summary>
/// A versioned set of rules and the score that clears a claim. Every assessment records the version
/// it used, so a later rule change never rewrites why an old claim was paid. Versions live in the
/// database (rule_sets); <see cref="Default"/> is the first one, seeded into a new database.
/// </summary>
public sealed record RuleSet(string Version, int AutoApproveScore, IReadOnlyList<IAssessmentRule> Rules)
{
    public const string DefaultVersion = "2026.11-5";

    public static RuleSet Default { get; } = RuleCatalog.Build(new RuleSetDocument
    {
        Version = DefaultVersion,
        Description = "Every signal of docs/assessment.md at its built-in settings (tuned on part 1/2 of each labelled dataset's customers).",
        AutoApproveScore = 50,
        Rules = Defaults(),
    });

    /// <summary>Every rule at its built-in settings, and the settings added in 2026.11-5 that older versions leave off.</summary>
    private static Dictionary<string, RuleEntry> Defaults()
    {
        var rules = RuleCatalog.AllOnWithDefaults();
        rules["velocity"] = new RuleEntry { Settings = new Dictionary<string, double>(StringComparer.Ordinal) { ["min_disputed_share"] = 0.5 } };
        return rules;
    }

    public string Description { get; init; } = "";

    /// <summary>Claims above this (minor units) need a person; null: the configured Worker:AutoPayoutLimit.</summary>
    public long? AutoPayoutLimit { get; init; }

    /// <summary>The rule set as a document with every effective setting spelled out (what is stored and shown).</summary>
    public RuleSetDocument? Document { get; init; }

    /// <summary>The machine approves or asks a person; it never rejects.</summary>
    public AssessmentDecision Decide(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (AutoPayoutLimit is { } limit)
        {
            context = context with { AutoPayoutLimit = limit };
        }
        var findings = Rules.Select(r => r.Evaluate(context)).OfType<AssessmentFinding>().ToList();
        var score = findings.Sum(f => f.Points);
        var clears = score >= AutoApproveScore && !findings.Any(f => f.BlocksAutoPayout);
        return new AssessmentDecision(clears ? AssessmentOutcome.AutoApprove : AssessmentOutcome.Review, score, findings);
    }
}
