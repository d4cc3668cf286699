using System.Text.Json;
using ClaimsOffice.Database.Ledger;
using Microsoft.Extensions.Logging;

namespace ClaimsOffice.Worker.Approvals;

/// <summary>
/// Checks the ledger's two invariants (every journal sums to zero; every wallet's balance equals the payouts
/// made to it) and records the result for the fund page. Reads only: safe to run any number of times.
/// </summary>
public sealed class ReconciliationService(LedgerReconciliationRepository ledger, TimeProvider clock, ILogger<ReconciliationService> logger)
{
    public async Task<ReconciliationRun> RunAsync(CancellationToken ct)
    {
        var unbalanced = await ledger.UnbalancedJournalsAsync(ct);
        var (walletsChecked, mismatches) = await ledger.WalletMismatchesAsync(ct);
        var run = new ReconciliationRun
        {
            RanAt = clock.GetUtcNow(),
            JournalsChecked = await ledger.CountJournalsAsync(ct),
            WalletsChecked = walletsChecked,
            UnbalancedJournals = unbalanced.Count,
            MismatchedWallets = mismatches.Count,
            // The first few of each, enough to start an investigation from the page.
            Detail = JsonSerializer.Serialize(new
            {
                unbalanced_journals = unbalanced.Take(20),
                mismatched_wallets = mismatches.Take(20).Select(m => new { m.Code, m.PostedBalance, m.PaidOut }),
            }),
        };
        var id = await ledger.InsertRunAsync(run, ct);
        if (!run.Balanced)
        {
            logger.LogError("Ledger reconciliation failed: {Unbalanced} unbalanced journals, {Wallets} wallets differ from their payouts",
                run.UnbalancedJournals, run.MismatchedWallets);
        }
        return run with { Id = id };
    }
}
