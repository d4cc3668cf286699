using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Database.SignIn;
using ClaimsOffice.Worker.Notifications;

namespace ClaimsOffice.Worker.SignIn;

public sealed record CodeRequestResult(bool Sent, string Message, string? MaskedDestination = null);

public sealed record CodeVerificationResult(Customer? Customer, string? Error)
{
    public bool Succeeded => Customer is not null;
}

/// <summary>Asks the dispatcher to deliver soon, so a person waiting for a code is not waiting for the next poll.</summary>
public interface IOutboxNudge
{
    Task NudgeAsync(CancellationToken ct);
}

/// <summary>
/// Victims sign in with a one-time code sent to their registered phone, because their password may be
/// what was stolen. Codes are stored hashed, expire, allow a few wrong tries, and are rate limited.
/// </summary>
public sealed class VictimSignInService(
    IDbConnectionFactory connections,
    CustomerRepository customers,
    SignInCodeRepository codes,
    OutboxRepository outbox,
    IOutboxNudge nudge,
    TimeProvider clock)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan RequestWindow = TimeSpan.FromMinutes(15);
    public const int MaxCodesPerWindow = 3;
    public const int MaxWrongAttempts = 5;
    public const int MaxContactLength = 254;

    public async Task<CodeRequestResult> RequestCodeAsync(string? contact, CancellationToken ct)
    {
        if (ContactError(contact) is { } error)
        {
            return new CodeRequestResult(false, error);
        }
        var customer = await customers.FindByContactAsync(contact!, ct);
        if (customer is null)
        {
            return new CodeRequestResult(false, "We could not find a wallet with that phone number or e-mail address. Use the one registered with your wallet.");
        }
        if (customer.Phone.Length == 0)
        {
            // Imported customers may have no phone on file, and the code goes by SMS.
            return new CodeRequestResult(false, "This wallet has no phone number on file, so we cannot send a code. Contact support to add one.");
        }
        var now = clock.GetUtcNow();
        var recent = await codes.CountIssuedSinceAsync(customer.Id, now - RequestWindow, ct);
        if (recent >= MaxCodesPerWindow)
        {
            return new CodeRequestResult(false, $"Too many codes were requested. Wait {RequestWindow.TotalMinutes:0} minutes, then ask for a new one.");
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        await using (var connection = await connections.OpenAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var id = await codes.InsertAsync(new SignInCode
            {
                CustomerId = customer.Id,
                CodeHash = Hash(customer.Id, code),
                CreatedAt = now,
                ExpiresAt = now + CodeLifetime,
            }, tx, ct);
            await outbox.EnqueueAsync(Messages.SignInCode(customer.Id, id, customer.Phone, code, now, CodeLifetime), tx, ct);
            await tx.CommitAsync(ct);
        }
        await nudge.NudgeAsync(ct);
        return new CodeRequestResult(true, $"We sent a 6-digit code by SMS to {Mask(customer.Phone)}. It expires in {CodeLifetime.TotalMinutes:0} minutes.", Mask(customer.Phone));
    }

    public async Task<CodeVerificationResult> VerifyAsync(string? contact, string? code, CancellationToken ct)
    {
        if (ContactError(contact) is { } error)
        {
            return new CodeVerificationResult(null, error);
        }
        var digits = code?.Trim() ?? "";
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit))
        {
            return new CodeVerificationResult(null, "Enter the 6-digit code from the SMS.");
        }
        var customer = await customers.FindByContactAsync(contact!, ct);
        var latest = customer is null ? null : await codes.GetLatestAsync(customer.Id, ct);
        var now = clock.GetUtcNow();
        if (customer is null || latest is null || latest.ConsumedAt is not null || latest.ExpiresAt <= now)
        {
            return new CodeVerificationResult(null, "This code has expired or was already used. Ask for a new code.");
        }
        if (latest.FailedAttempts >= MaxWrongAttempts)
        {
            return new CodeVerificationResult(null, "Too many wrong codes. Ask for a new code.");
        }
        if (await codes.TryStartAttemptAsync(latest.Id, MaxWrongAttempts, now, ct) is not { } triesUsed)
        {
            // Another request used the code or its last try in the meantime.
            return new CodeVerificationResult(null, "This code can no longer be used. Ask for a new code.");
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(latest.CodeHash), Encoding.ASCII.GetBytes(Hash(customer.Id, digits))))
        {
            var left = MaxWrongAttempts - triesUsed;
            return new CodeVerificationResult(null, left > 0
                ? $"That code is not right. {left} {(left == 1 ? "try" : "tries")} left."
                : "That code is not right, and that was the last try. Ask for a new code.");
        }
        if (!await codes.ConsumeAsync(latest.Id, now, ct))
        {
            return new CodeVerificationResult(null, "This code was already used. Ask for a new code.");
        }
        return new CodeVerificationResult(customer, null);
    }

    private static string? ContactError(string? contact)
    {
        var value = contact?.Trim() ?? "";
        if (value.Length == 0)
        {
            return "Enter the phone number or e-mail address registered with your wallet.";
        }
        if (value.Length > MaxContactLength)
        {
            return "That is too long for a phone number or e-mail address.";
        }
        var looksLikeEmail = value.Contains('@', StringComparison.Ordinal);
        var digits = value.Count(char.IsAsciiDigit);
        if (!looksLikeEmail && digits < 8)
        {
            return "Enter a phone number (like 090-1234-5678) or an e-mail address.";
        }
        return null;
    }

    private static string Mask(string phone) => phone.Length <= 4 ? phone : new string('•', phone.Length - 4) + phone[^4..];

    private static string Hash(long customerId, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"claims-office-sign-in:{customerId}:{code}")));
}
