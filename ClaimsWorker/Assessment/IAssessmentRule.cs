using System.Text.Json;
using ClaimsOffice.Database.Assessments;

namespace ClaimsOffice.Worker.Assessment;

/// <summary>
/// One explainable check. Returns a finding with points and evidence when it has something to say,
/// or null when it does not apply. Positive points support the victim; negative count against.
/// </summary>
public interface IAssessmentRule
{
    string Name { get; }

    AssessmentFinding? Evaluate(AssessmentContext context);
}

internal static class Finding
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static AssessmentFinding Of(string rule, int points, string summary, object evidence, bool blocksAutoPayout = false) => new()
    {
        Rule = rule,
        Points = points,
        BlocksAutoPayout = blocksAutoPayout,
        Summary = summary,
        Evidence = JsonSerializer.Serialize(evidence, Json),
    };

    public static double Hours(TimeSpan span) => Math.Round(span.TotalHours, 1);
}
