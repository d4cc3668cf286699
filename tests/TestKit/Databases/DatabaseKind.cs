using ClaimsOffice.Database;

namespace ClaimsOffice.TestKit.Databases;

/// <summary>The databases a <see cref="DatabaseTheoryAttribute"/> test runs on.</summary>
public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

public static class DatabaseKindExtensions
{
    public static DatabaseProvider ToProvider(this DatabaseKind kind) => kind switch
    {
        DatabaseKind.Sqlite => DatabaseProvider.Sqlite,
        DatabaseKind.Postgres => DatabaseProvider.Postgres,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown database kind."),
    };
}
