using ClaimsOffice.Worker.Assessment.Rules;

namespace ClaimsOffice.Worker.Assessment.RuleSets;

/// <summary>Every rule the engine knows, by the name a rule-set document uses.</summary>
public static class RuleCatalog
{
    private static readonly Dictionary<string, Func<RuleParameters, IAssessmentRule>> Factories = new(StringComparer.Ordinal)
    {
        ["transaction-ownership"] = _ => new TransactionOwnershipRule(),
        ["reported-in-time"] = p => new ReportedInTimeRule(p),
        ["new-device"] = p => new NewDeviceRule(p),
        ["new-ip-address"] = p => new NewIpAddressRule(p),
        ["shared-device-or-ip"] = p => new SharedDeviceOrIpRule(p),
        ["bank-linked-before"] = p => new BankLinkedBeforeRule(p),
        ["amount-above-usual"] = p => new AmountAboveUsualRule(p),
        ["account-takeover-signals"] = p => new AccountTakeoverSignalsRule(p),
        ["trusted-device"] = p => new TrustedDeviceRule(p),
        ["unusual-hour"] = p => new UnusualHourRule(p),
        ["new-payee"] = p => new NewPayeeRule(p),
        ["unusual-category"] = p => new UnusualCategoryRule(p),
        ["amount-out-of-range"] = p => new AmountOutOfRangeRule(p),
        ["velocity"] = p => new VelocityRule(p),
        ["spending-spree"] = p => new SpendingSpreeRule(p),
        ["new-account-spree"] = p => new NewAccountSpreeRule(p),
        ["night-time"] = p => new NightTimeRule(p),
        ["category-norm"] = p => new CategoryNormRule(p),
        ["balance-drained"] = p => new BalanceDrainedRule(p),
        ["test-payment"] = p => new TestPaymentRule(p),
        ["far-from-usual"] = p => new FarFromUsualRule(p),
        ["mule-payee"] = p => new MulePayeeRule(p),
        ["campaign"] = p => new CampaignRule(p),
        ["earlier-claims"] = p => new EarlierClaimsRule(p),
        ["account-age"] = p => new AccountAgeRule(p),
        ["shared-identity"] = p => new SharedIdentityRule(p),
        ["top-ups-only"] = _ => new TopUpsOnlyRule(),
        ["auto-payout-limit"] = _ => new AutoPayoutLimitRule(),
    };

    /// <summary>Safety rules that no version may switch off: they keep money from being paid twice or above the limit.</summary>
    public static readonly IReadOnlySet<string> Mandatory = new HashSet<string>(StringComparer.Ordinal)
    {
        "transaction-ownership", "auto-payout-limit", "top-ups-only",
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Builds the rules a document turns on; unknown rules or settings are errors.</summary>
    public static RuleSet Build(RuleSetDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var unknown = document.Rules.Keys.Where(k => !Factories.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new RuleSetException($"Unknown rule(s): {string.Join(", ", unknown)}. Known rules: {string.Join(", ", Factories.Keys)}.");
        }
        var switchedOff = document.Rules.Where(r => !r.Value.Enabled && Mandatory.Contains(r.Key)).Select(r => r.Key).ToList();
        if (switchedOff.Count > 0)
        {
            throw new RuleSetException($"Rule(s) {string.Join(", ", switchedOff)} cannot be switched off.");
        }

        var rules = new List<IAssessmentRule>();
        var effective = new Dictionary<string, RuleEntry>(StringComparer.Ordinal);
        // Catalogue order, so findings read the same way whatever order the document lists them in.
        foreach (var (name, factory) in Factories)
        {
            var entry = document.Rules.GetValueOrDefault(name);
            if (entry is null && !Mandatory.Contains(name))
            {
                continue;
            }
            var parameters = new RuleParameters(entry?.Points, entry?.Settings);
            var rule = factory(parameters);
            var typos = parameters.Unknown.ToList();
            if (typos.Count > 0)
            {
                throw new RuleSetException($"Rule {name} has no setting(s) {string.Join(", ", typos)}" +
                    (parameters.Used.Count > 0 ? $"; it has {string.Join(", ", parameters.Used.Keys)}." : "; it has none."));
            }
            if (entry is { Points: not null } && parameters.UsedPoints is null)
            {
                throw new RuleSetException($"Rule {name} has no points; it only records or blocks.");
            }
            var enabled = entry?.Enabled ?? true;
            effective[name] = new RuleEntry
            {
                Enabled = enabled,
                Points = parameters.UsedPoints,
                Settings = parameters.Used.Count == 0 ? null : new Dictionary<string, double>(parameters.Used, StringComparer.Ordinal),
            };
            if (enabled)
            {
                rules.Add(rule);
            }
        }
        return new RuleSet(document.Version, document.AutoApproveScore, rules)
        {
            Description = document.Description,
            AutoPayoutLimit = document.AutoPayoutLimit,
            Document = document with { Rules = effective },
        };
    }

    /// <summary>Every rule at its defaults.</summary>
    public static Dictionary<string, RuleEntry> AllOnWithDefaults() =>
        Factories.Keys.ToDictionary(k => k, _ => new RuleEntry(), StringComparer.Ordinal);
}
