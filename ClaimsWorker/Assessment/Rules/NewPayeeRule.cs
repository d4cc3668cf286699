using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>The money went to merchants or people this customer had never paid before.</summary>
public sealed class NewPayeeRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 10;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly int _minimumHistory = parameters.Count("min_history", 10);

    public string Name => "new-payee";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var usual = context.UsualOutgoing.ToList();
        if (usual.Count < _minimumHistory || context.Disputed.Any(t => AssessmentContext.PayeeOf(t) is null))
        {
            return null;
        }
        var known = usual.Select(AssessmentContext.PayeeOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var fresh = Pattern.MostOf(context.Disputed, t => !known.Contains(AssessmentContext.PayeeOf(t)!), out var fires);
        if (!fires)
        {
            return null;
        }
        return Finding.Of(Name, _points,
            $"{fresh.Count} of {context.Disputed.Count} disputed payments went to payees this customer had not paid in {usual.Count} earlier payments.",
            new { history_count = usual.Count, known_payees = known.Count, new_payees = fresh.Select(t => new { t.Reference, payee = AssessmentContext.PayeeOf(t) }) });
    }
}
