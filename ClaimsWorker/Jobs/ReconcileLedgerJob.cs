using ClaimsOffice.Worker.Approvals;

namespace ClaimsOffice.Worker.Jobs;

/// <summary>
/// Hangfire adapter: the daily ledger reconciliation (registered by <see cref="RecurringJobsRegistration"/>).
/// A failed check is recorded and logged by the service, not thrown: it is a finding for finance, not a job to retry.
/// </summary>
public sealed class ReconcileLedgerJob(ReconciliationService reconciliation)
{
    public const string Id = "reconcile-ledger";

    public async Task RunAsync(CancellationToken ct) => await reconciliation.RunAsync(ct);
}
