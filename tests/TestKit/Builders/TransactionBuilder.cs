using ClaimsOffice.Database;
using ClaimsOffice.Database.Transactions;

namespace ClaimsOffice.TestKit.Builders;

/// <summary>One wallet transaction: a ¥1,000 payment an hour ago unless told otherwise.</summary>
public sealed class TransactionBuilder(long customerId)
{
    private string _kind = TransactionKinds.Payment;
    private long _amount = 1_000;
    private long? _merchantId;
    private string? _counterparty;
    private DateTimeOffset _at = DateTimeOffset.UtcNow.AddHours(-1);
    private string? _device;
    private string? _ip;

    public TransactionBuilder Payment(long amount) { _kind = TransactionKinds.Payment; _amount = amount; return this; }
    public TransactionBuilder Kind(string kind) { _kind = kind; return this; }
    public TransactionBuilder Amount(long amount) { _amount = amount; return this; }
    public TransactionBuilder At(DateTimeOffset at) { _at = at; return this; }
    public TransactionBuilder AtMerchant(long merchantId) { _merchantId = merchantId; return this; }
    public TransactionBuilder To(string counterparty) { _counterparty = counterparty; return this; }
    public TransactionBuilder From(string device, string ip) { _device = device; _ip = ip; return this; }

    public PaymentTransaction Build() => new()
    {
        Reference = "TX-T" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant(),
        CustomerId = customerId,
        Kind = _kind,
        Amount = _amount,
        Currency = "JPY",
        MerchantId = _merchantId,
        Counterparty = _merchantId is null ? _counterparty ?? "Someone" : _counterparty,
        OccurredAt = _at,
        DeviceFingerprint = _device,
        IpAddress = _ip,
    };

    public async Task<PaymentTransaction> InsertAsync(IDbConnectionFactory connections, CancellationToken ct = default)
    {
        var transaction = Build();
        var id = await new TransactionRepository(connections).InsertAsync(transaction, ct);
        return transaction with { Id = id };
    }
}
