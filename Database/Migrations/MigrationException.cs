namespace ClaimsOffice.Database.Migrations;

/// <summary>
/// The schema cannot be brought up to date: a script failed (and was rolled back), an applied script was edited,
/// or the database is newer than this build. The message says which and what to do; it is meant for the operator,
/// so commands print it without a stack trace.
/// </summary>
public sealed class MigrationException : InvalidOperationException
{
    public MigrationException(string message)
        : base(message)
    {
    }

    public MigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
