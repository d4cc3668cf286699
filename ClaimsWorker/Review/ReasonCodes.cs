namespace ClaimsOffice.Worker.Review;

/// <summary>The fixed reasons a person may give for refusing a claim or a payout; anything else is refused.</summary>
public static class ReasonCodes
{
    public static readonly IReadOnlyDictionary<string, string> Rejection = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["own-device"] = "Made from the customer's own trusted device",
        ["authorised-by-customer"] = "The customer authorised the payment",
        ["reported-too-late"] = "Reported after the allowed period",
        ["duplicate-claim"] = "Duplicate of another claim",
        ["merchant-dispute"] = "A dispute with the merchant, not fraud",
        ["insufficient-evidence"] = "The evidence does not show fraud",
    };

    public static readonly IReadOnlyDictionary<string, string> PayoutRejection = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["amount-not-supported"] = "The amount is not supported by the evidence",
        ["needs-more-review"] = "The claim needs more review",
        ["suspected-first-party-fraud"] = "Suspected first-party fraud",
        ["policy-limit"] = "Above the compensation policy's limit",
    };
}
