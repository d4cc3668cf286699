namespace ClaimsOffice.Database;

/// <summary>The two databases the product runs on: SQLite embedded, PostgreSQL in production.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
