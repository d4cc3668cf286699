using System.Text.Json;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Notifications;
using Microsoft.Extensions.Logging;

namespace ClaimsOffice.Worker.Intake;

public sealed record FileClaimRequest(long CustomerId, IReadOnlyList<string> TransactionReferences, string? Description);

public sealed record FieldError(string Field, string Message);

public sealed record FileClaimResult(Claim? Claim, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Claim is not null;

    public static FileClaimResult Invalid(params FieldError[] errors) => new(null, errors);
}

/// <summary>Hands a filed claim to the assessment, wherever it runs.</summary>
public interface IAssessmentQueue
{
    Task EnqueueAsync(long claimId, CancellationToken ct);
}

/// <summary>
/// Files a victim's claim: validates it, writes the claim, its transactions, an audit entry and the
/// acknowledgement in one transaction, then enqueues the assessment. If the enqueue is lost, the
/// sweep finds the claim still Submitted and enqueues it again.
/// </summary>
public sealed class ClaimIntake(
    IDbConnectionFactory connections,
    TransactionRepository transactions,
    ClaimRepository claims,
    AuditLog audit,
    IAssessmentQueue queue,
    TimeProvider clock,
    ILogger<ClaimIntake> logger)
{
    public const int MaxDescriptionLength = 2000;
    public const int MaxTransactions = 50;

    public async Task<FileClaimResult> FileAsync(FileClaimRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var description = request.Description?.Trim() ?? "";
        var references = request.TransactionReferences.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();

        var errors = new List<FieldError>();
        if (references.Count == 0)
        {
            errors.Add(new("TransactionReferences", "Choose at least one transaction you did not make."));
        }
        else if (references.Count > MaxTransactions)
        {
            errors.Add(new("TransactionReferences", $"A claim can hold at most {MaxTransactions} transactions; file the rest in another claim."));
        }
        if (description.Length == 0)
        {
            errors.Add(new("Description", "Tell us briefly what happened."));
        }
        else if (description.Length > MaxDescriptionLength)
        {
            errors.Add(new("Description", $"Keep the description under {MaxDescriptionLength} characters (it has {description.Length})."));
        }
        if (errors.Count > 0)
        {
            return new FileClaimResult(null, errors);
        }

        var found = await transactions.GetByReferencesAsync(references, ct);
        // Someone else's transaction is reported exactly like a missing one: no hint that it exists.
        var mine = found.Where(t => t.CustomerId == request.CustomerId).ToDictionary(t => t.Reference, StringComparer.Ordinal);
        foreach (var reference in references.Where(r => !mine.ContainsKey(r)))
        {
            errors.Add(new("TransactionReferences", $"Transaction {reference} is not one of your transactions."));
        }
        foreach (var t in mine.Values)
        {
            if (!t.IsOutgoing)
            {
                errors.Add(new("TransactionReferences", $"Transaction {t.Reference} brought money in; only payments, transfers and bank top-ups can be disputed."));
            }
            if (t.LiveClaimNumber is not null)
            {
                errors.Add(new("TransactionReferences", $"Transaction {t.Reference} is already in claim {t.LiveClaimNumber}."));
            }
        }
        if (errors.Count == 0 && mine.Values.Select(t => t.Currency).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            errors.Add(new("TransactionReferences", "Transactions in different currencies need separate claims."));
        }
        if (errors.Count > 0)
        {
            return new FileClaimResult(null, errors);
        }

        var disputed = mine.Values.OrderBy(t => t.OccurredAt).ToList();
        var now = clock.GetUtcNow();
        var newClaim = new NewClaim(request.CustomerId, description, ClaimLoss.Compute(disputed), disputed[0].Currency, now,
            [.. disputed.Select(t => new ClaimedTransaction(t.Id, t.Amount))]);

        Claim claim;
        await using (var connection = await connections.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            try
            {
                claim = await claims.InsertAsync(newClaim, tx, ct);
            }
            catch (Exception ex) when (connections.Dialect.IsUniqueViolation(ex))
            {
                // Lost a race with another claim for the same transaction (a double click, two tabs).
                await tx.RollbackAsync(ct);
                return FileClaimResult.Invalid(new FieldError("TransactionReferences", "One of these transactions was just put in another claim. Check your claims."));
            }
            // The acknowledgement and the audit entry, with the claim or not at all, in one command on PostgreSQL. SQLite seals
            // the entry into the chain here; PostgreSQL writes it unsealed, with no lock, and the sealing loop chains it after
            // the commit (ADR 0010).
            await audit.AppendAsync(OutboxRepository.Enqueue(Messages.ClaimReceived(claim)), [new AuditEntry($"customer:{request.CustomerId}", "claim.submitted", "claim", claim.ClaimNumber,
                JsonSerializer.Serialize(new { claim.TotalAmount, claim.Currency, transactions = disputed.Select(t => t.Reference) }), now)], tx, ct);
            await tx.CommitAsync(ct);
        }

        try
        {
            await queue.EnqueueAsync(claim.Id, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The claim is safely stored; the sweep re-enqueues it within seconds.
            logger.LogWarning(ex, "Could not enqueue the assessment of {ClaimNumber}; the sweep will retry", claim.ClaimNumber);
        }
        return new FileClaimResult(claim, []);
    }
}
