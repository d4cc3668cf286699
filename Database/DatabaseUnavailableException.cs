using System.Data.Common;

namespace ClaimsOffice.Database;

/// <summary>
/// No connection could be had: the pool stayed full for the whole wait, or the server did not answer.
/// The message says which and what an operator changes; the driver's own error is the inner exception.
/// </summary>
public sealed class DatabaseUnavailableException : DbException
{
    public DatabaseUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when every pooled connection was in use until the wait ran out (not a server fault).</summary>
    public bool PoolExhausted { get; init; }
}
