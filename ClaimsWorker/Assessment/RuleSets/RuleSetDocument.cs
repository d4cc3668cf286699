using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClaimsOffice.Worker.Assessment.RuleSets;

/// <summary>One rule's entry in a rule-set document.</summary>
public sealed record RuleEntry
{
    public bool Enabled { get; init; } = true;
    public int? Points { get; init; }
    public Dictionary<string, double>? Settings { get; init; }
}

/// <summary>
/// A rule set as JSON (docs/assessment.md): what is stored in <c>rule_sets.document</c>, what a draft file
/// holds, and what <c>rules show</c> prints. A rule missing from <see cref="Rules"/> is off, so a rule added
/// to the code later never changes what an older version does.
/// </summary>
public sealed record RuleSetDocument
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public required string Version { get; init; }
    public string Description { get; init; } = "";
    /// <summary>The score at or above which a claim with no blocking finding is paid automatically.</summary>
    public int AutoApproveScore { get; init; }
    /// <summary>Claims above this (minor units) always go to a person; null: the configured Worker:AutoPayoutLimit.</summary>
    public long? AutoPayoutLimit { get; init; }
    public required Dictionary<string, RuleEntry> Rules { get; init; }

    /// <summary>Parses a document; a clear message for anything malformed.</summary>
    public static RuleSetDocument Parse(string json)
    {
        RuleSetDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<RuleSetDocument>(json, Json);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1})" : "";
            throw new RuleSetException($"The rule set is not valid JSON{where}: {ex.Message}");
        }
        if (document is null)
        {
            throw new RuleSetException("The rule set is empty.");
        }
        if (string.IsNullOrWhiteSpace(document.Version) || document.Version.Length > 64)
        {
            throw new RuleSetException("The rule set needs a \"version\" of 1 to 64 characters.");
        }
        if (document.AutoApproveScore <= 0)
        {
            throw new RuleSetException("\"auto_approve_score\" must be above 0: a claim with no evidence must never clear.");
        }
        if (document.AutoPayoutLimit is < 0)
        {
            throw new RuleSetException("\"auto_payout_limit\" cannot be negative.");
        }
        return document;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>A rule-set document that cannot be used; the message says why.</summary>
public sealed class RuleSetException(string message) : Exception(message);
