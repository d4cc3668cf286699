using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>The disputed payments are in a kind of shop this customer rarely or never buys from.</summary>
public sealed class UnusualCategoryRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 10;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly int _minimumHistory = parameters.Count("min_history", 20);
    private readonly double _rareShare = parameters.Number("rare_share", 0.02);

    public string Name => "unusual-category";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var categories = context.UsualOutgoing.Select(t => t.MerchantCategory).OfType<string>().ToList();
        if (categories.Count < _minimumHistory || context.Disputed.Any(t => t.MerchantCategory is null))
        {
            return null;
        }
        double Share(string c) => (double)categories.Count(x => x == c) / categories.Count;
        var odd = Pattern.MostOf(context.Disputed, t => Share(t.MerchantCategory!) < _rareShare, out var fires);
        if (!fires)
        {
            return null;
        }
        return Finding.Of(Name, _points,
            $"{odd.Count} of {context.Disputed.Count} disputed payments are in categories that make under {_rareShare:P0} of this customer's payments.",
            new { history_count = categories.Count, unusual = odd.Select(t => new { t.Reference, category = t.MerchantCategory, share_of_history = Math.Round(Share(t.MerchantCategory!), 4) }) });
    }
}
