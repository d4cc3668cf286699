using System.Data.Common;
using Dapper;

namespace ClaimsOffice.Database.SignIn;

public sealed record SignInCode
{
    public long Id { get; init; }
    public long CustomerId { get; init; }
    public required string CodeHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public int FailedAttempts { get; init; }
    public DateTimeOffset? ConsumedAt { get; init; }
}

/// <summary>One-time sign-in codes for victims, stored hashed.</summary>
public sealed class SignInCodeRepository(IDbConnectionFactory connections)
{
    public async Task<long> InsertAsync(SignInCode code, DbTransaction tx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        const string sql = """
            INSERT INTO sign_in_codes (customer_id, code_hash, created_at, expires_at, failed_attempts)
            VALUES (@CustomerId, @CodeHash, @CreatedAt, @ExpiresAt, 0)
            RETURNING id
            """;
        return await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(sql, code, tx, cancellationToken: ct));
    }

    /// <summary>The newest code issued to the customer, used or not: only the latest one can sign in.</summary>
    public async Task<SignInCode?> GetLatestAsync(long customerId, CancellationToken ct)
    {
        const string sql = """
            SELECT id, customer_id, code_hash, created_at, expires_at, failed_attempts, consumed_at
            FROM sign_in_codes WHERE customer_id = @customerId ORDER BY id DESC LIMIT 1
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<SignInCode>(new CommandDefinition(sql, new { customerId }, cancellationToken: ct));
    }

    public async Task<int> CountIssuedSinceAsync(long customerId, DateTimeOffset since, CancellationToken ct)
    {
        const string sql = "SELECT COUNT(*) FROM sign_in_codes WHERE customer_id = @customerId AND created_at >= @since";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { customerId, since }, cancellationToken: ct));
    }

    /// <summary>
    /// Takes one of the code's tries before the code is compared, in one guarded statement, so guesses sent
    /// in parallel cannot get more tries than the limit. Returns the tries used including this one, or null
    /// when the code is used up, expired or out of tries.
    /// </summary>
    public async Task<int?> TryStartAttemptAsync(long id, int maxAttempts, DateTimeOffset now, CancellationToken ct)
    {
        const string sql = """
            UPDATE sign_in_codes SET failed_attempts = failed_attempts + 1
            WHERE id = @id AND consumed_at IS NULL AND expires_at > @now AND failed_attempts < @maxAttempts
            RETURNING failed_attempts
            """;
        await using var connection = await connections.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(sql, new { id, maxAttempts, now }, cancellationToken: ct));
    }

    /// <summary>
    /// Marks the code used and gives back the try its right answer took (it was no failure); false when it
    /// was already used (a double submit signs in once).
    /// </summary>
    public async Task<bool> ConsumeAsync(long id, DateTimeOffset now, CancellationToken ct)
    {
        const string sql = "UPDATE sign_in_codes SET consumed_at = @now, failed_attempts = failed_attempts - 1 WHERE id = @id AND consumed_at IS NULL";
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { id, now }, cancellationToken: ct)) == 1;
    }
}
