using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Worker.Assessment.RuleSets;

namespace ClaimsOffice.Worker.Assessment.Rules;

/// <summary>
/// Against the claim: the claimant's e-mail address or phone number is also on other accounts. Synthetic
/// identities reuse contact details across the accounts they open, so a person checks who this is.
/// </summary>
public sealed class SharedIdentityRule(RuleParameters? parameters = null) : IAssessmentRule
{
    public const int Points = -30;

    private readonly int _points = (parameters ??= RuleParameters.Defaults).Points(Points);
    private readonly int _minimumOthers = parameters.Count("min_other_accounts", 1);

    public string Name => "shared-identity";

    public AssessmentFinding? Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Account is not { } account || account.AccountsSharingContact < _minimumOthers)
        {
            return null;
        }
        return Finding.Of(Name, _points, $"The claimant's e-mail address or phone number is also registered on {account.AccountsSharingContact} other account(s).",
            new { other_accounts = account.AccountsSharingContact }, blocksAutoPayout: true);
    }
}
