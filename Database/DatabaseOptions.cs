namespace ClaimsOffice.Database;

/// <summary>Bound from the <c>Database</c> section plus <c>ConnectionStrings:Claims</c>.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public static DatabaseProvider ParseProvider(string? value) =>
        value?.Trim().ToUpperInvariant() switch
        {
            null or "" or "SQLITE" => DatabaseProvider.Sqlite,
            "POSTGRES" or "POSTGRESQL" or "NPGSQL" => DatabaseProvider.Postgres,
            _ => throw new ArgumentException($"Unknown database provider '{value}'. Use Sqlite or Postgres."),
        };
}
