namespace ClaimsOffice.Worker.Approvals;

/// <summary>
/// The daily reconciliation, as a recurring job body: register with
/// <c>RecurringJob.AddOrUpdate&lt;ReconcileLedgerJob&gt;("reconcile-ledger", j => j.RunAsync(CancellationToken.None), Cron.Daily())</c>.
/// A failed check is recorded and logged, not thrown: it is a finding for finance, not a job failure to retry.
/// </summary>
public sealed class ReconcileLedgerJob(ReconciliationService reconciliation)
{
    public async Task RunAsync(CancellationToken ct) => await reconciliation.RunAsync(ct);
}
