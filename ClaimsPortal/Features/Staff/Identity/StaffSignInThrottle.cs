using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>
/// Sign-in checks per account, whatever address they come from. The address limit alone lets an attacker
/// spread guesses over many addresses and send them at once: every guess then reads the account before the
/// lockout is written, so far more than the allowed wrong tries are checked. Here one account's checks run
/// one at a time (each sees the lockout the previous one wrote) and at most so many a minute.
/// In one process: each portal of a deployment keeps its own count (docs/runbook.md).
/// </summary>
public sealed class StaffSignInThrottle : IDisposable
{
    /// <summary>Checks that may wait for the one running for the same account; more are refused at once.</summary>
    private const int WaitingChecks = 16;

    private readonly PartitionedRateLimiter<string> _limiter;

    public StaffSignInThrottle(IOptions<StaffIdentityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var perMinute = options.Value.SignInAttemptsPerAccountPerMinute;
        _limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<string, string>(account => RateLimitPartition.GetConcurrencyLimiter(account, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = 1,
                QueueLimit = WaitingChecks,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })),
            PartitionedRateLimiter.Create<string, string>(account => RateLimitPartition.GetFixedWindowLimiter(account, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            })));
    }

    /// <summary>A lease to check one password or code for <paramref name="account"/>; not acquired when over the limit. Dispose it after the check.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(string account, CancellationToken ct) => _limiter.AcquireAsync(account, 1, ct);

    public void Dispose() => _limiter.Dispose();
}

/// <summary>A sign-in refused without checking the password or code: too many tries for this account just now.</summary>
public sealed class StaffSignInThrottled : Microsoft.AspNetCore.Identity.SignInResult
{
    public static readonly StaffSignInThrottled Instance = new();

    public const string Message = "Too many sign-in attempts for this account just now. Wait a minute, then try again.";

    private StaffSignInThrottled()
    {
    }
}
