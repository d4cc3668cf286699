using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// The money went to a payee new to this customer that many other accounts also paid in the days before:
/// a mule account collecting from many victims. Only payments to people count: a shop is paid by many by design.
/// </summary>
public sealed class MulePayeeRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = 25;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly int _minimumPayers = parameters.Count("min_other_payers", 5);

    public string Name => "mule-payee";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var known = context.History.Select(t => t.Counterparty).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var mules = context.Disputed
            .Where(t => t.MerchantName is null && t.Counterparty is { } p && !known.Contains(p) && context.OtherPayersPerPayee.TryGetValue(p, out var n) && n >= _minimumPayers)
            .ToList();
        if (mules.Count == 0)
        {
            return null;
        }
        var most = mules.Max(t => context.OtherPayersPerPayee[t.Counterparty!]);
        return Finding.Of(Name, _points,
            $"Money went to a payee this customer never paid before, which {(most >= AssessmentSignalsRepository.LinkCap ? $"{most} or more" : most.ToString(System.Globalization.CultureInfo.InvariantCulture))} other accounts paid in the {AssessmentContextLoader.CampaignWindow.TotalDays:0} days before.",
            mules.Select(t => new { t.Reference, payee = t.Counterparty, other_payers = context.OtherPayersPerPayee[t.Counterparty!] }));
    }
}
