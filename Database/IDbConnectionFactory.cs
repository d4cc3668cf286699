using System.Data.Common;

namespace ClaimsOffice.Database;

/// <summary>The one way code reaches the database: a new open connection per operation.</summary>
public interface IDbConnectionFactory
{
    SqlDialect Dialect { get; }

    Task<DbConnection> OpenAsync(CancellationToken ct);
}
