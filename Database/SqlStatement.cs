using Dapper;

namespace ClaimsOffice.Database;

/// <summary>
/// One statement and its parameters, built by the repository that owns its table and handed to another repository
/// that sends it in the same command (or the same statement) as its own: on PostgreSQL each command is a client/server
/// round trip, and those cost more CPU here than the statements themselves.
/// </summary>
public sealed record SqlStatement(string Sql, DynamicParameters Parameters)
{
    /// <summary>Adds this statement's parameters to <paramref name="into"/>; a name both use would mix their values, so it throws.</summary>
    public void AddParametersTo(DynamicParameters into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var taken = into.ParameterNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var clash = Parameters.ParameterNames.FirstOrDefault(taken.Contains);
        if (clash is not null)
        {
            throw new InvalidOperationException($"Parameter @{clash} is used by both statements of one command.");
        }
        into.AddDynamicParams(Parameters);
    }
}
