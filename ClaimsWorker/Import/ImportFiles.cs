using System.Globalization;
using System.Net;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Worker.Bench;

namespace ClaimsOffice.Worker.Import;

/// <summary>One record's fields by the format's column order, whatever order the file's header gave them in.</summary>
internal readonly struct CanonicalRow(IReadOnlyList<string> fields, int[] map)
{
    /// <summary>The field, or null when it is empty (an empty field means unknown).</summary>
    public string? this[int column]
    {
        get
        {
            var value = fields[map[column]];
            return value.Length == 0 ? null : value;
        }
    }
}

/// <summary>
/// One of the three importable files: its columns, how a record is checked and staged, and the table it goes
/// into. Staged columns are the line number, then the table's own columns in the order <see cref="Stage"/>
/// writes them (the first is the file's id), except that a row belonging to a customer names it by the
/// file's customer_id in <c>customer_ref</c>, right after the id, where the table holds the customer's row id.
/// </summary>
internal abstract class ImportFile
{
    public const string CustomerRef = "customer_ref";

    private IReadOnlyList<BulkColumn>? _staging;
    private IReadOnlyList<BulkColumn>? _table;

    public abstract string Label { get; }

    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>The table the rows go into.</summary>
    public abstract string Table { get; }

    /// <summary>What <see cref="Stage"/> writes after the line number; the first is the file's id.</summary>
    protected abstract IReadOnlyList<BulkColumn> Fields { get; }

    public string StagingTable => "import_" + Label;

    /// <summary>The staging table's columns; the first is always the file's line number.</summary>
    public IReadOnlyList<BulkColumn> StagingColumns => _staging ??= [Long("line"), .. Fields];

    /// <summary>The table's columns in staged order, without the line number.</summary>
    public IReadOnlyList<BulkColumn> TableColumns => _table ??= [.. Fields.Select(f => f.Name == CustomerRef ? Long("customer_id") : f)];

    /// <summary>The column holding the file's own id, in the staging table and in the real one (unique there).</summary>
    public string IdColumn => Fields[0].Name;

    /// <summary>The staged column naming the customer, or null when rows do not belong to a customer.</summary>
    public string? CustomerColumn => Fields.Any(f => f.Name == CustomerRef) ? CustomerRef : null;

    /// <summary>Checks one record and writes it to the staging table; returns the problem instead when there is one (nothing written).</summary>
    public abstract string? Stage(long line, CanonicalRow row, BulkTable staging);

    /// <summary>Moves the staged rows into the real table; rows whose id is already there are left as they are.</summary>
    public string InsertSql
    {
        get
        {
            var columns = string.Join(", ", TableColumns.Select(c => c.Name));
            var values = string.Join(", ", Fields.Select(f => f.Name == CustomerRef ? "c.id" : $"s.{f.Name}"));
            var join = CustomerColumn is null ? "" : $" JOIN customers c ON c.external_id = s.{CustomerRef}";
            // WHERE true: SQLite needs it to read ON CONFLICT after a join as the upsert clause.
            return $"INSERT INTO {Table} ({columns}) SELECT {values} FROM {StagingTable} s{join} WHERE true ON CONFLICT ({IdColumn}) DO NOTHING";
        }
    }

    public string CreateStagingSql(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var columns = string.Join(", ", StagingColumns.Select(c => $"{c.Name} {SqlType(c.Type, dialect)}"));
        return dialect.Provider == DatabaseProvider.Postgres
            ? $"CREATE TEMP TABLE {StagingTable} ({columns}) ON COMMIT DROP"
            : $"CREATE TEMP TABLE {StagingTable} ({columns})";
    }

    private static string SqlType(BulkType type, SqlDialect dialect) => type switch
    {
        BulkType.Long => "BIGINT",
        BulkType.Double => dialect.Provider == DatabaseProvider.Postgres ? "DOUBLE PRECISION" : "REAL",
        BulkType.Time => dialect.Provider == DatabaseProvider.Postgres ? "TIMESTAMPTZ" : "TEXT",
        _ => "TEXT",
    };

    protected static string? Coordinates(CanonicalRow row, int latColumn, int longColumn, string latName, string longName, out double? latitude, out double? longitude)
    {
        latitude = null;
        longitude = null;
        var lat = row[latColumn];
        var lon = row[longColumn];
        if (lat is null && lon is null)
        {
            return null;
        }
        if (lat is null || lon is null)
        {
            return $"{latName} and {longName} must both be given or both be empty";
        }
        if (!double.TryParse(lat, NumberStyles.Float, CultureInfo.InvariantCulture, out var la) || la is < -90 or > 90)
        {
            return $"{latName} '{lat}' is not a latitude from -90 to 90";
        }
        if (!double.TryParse(lon, NumberStyles.Float, CultureInfo.InvariantCulture, out var lo) || lo is < -180 or > 180)
        {
            return $"{longName} '{lon}' is not a longitude from -180 to 180";
        }
        latitude = la;
        longitude = lo;
        return null;
    }

    protected static string? Time(CanonicalRow row, int column, string name, out DateTimeOffset value)
    {
        value = default;
        var text = row[column];
        if (text is null)
        {
            return $"{name} is empty";
        }
        return CanonicalFormat.TryParseTime(text, out value) ? null : $"{name} '{text}' is not an ISO 8601 time with an offset, e.g. 2024-03-01T14:05:00Z";
    }

    protected static string? Required(CanonicalRow row, int column, string name, out string value)
    {
        value = row[column] ?? "";
        if (value.Length == 0)
        {
            return $"{name} is empty";
        }
        return value.Length > 200 ? $"{name} is longer than 200 characters" : null;
    }

    protected static string? Ip(CanonicalRow row, int column, out string? value)
    {
        value = row[column];
        return value is null || IPAddress.TryParse(value, out _) ? null : $"ip_address '{value}' is not an IPv4 or IPv6 address";
    }

    /// <summary>Every check runs (each sets its out value), and the first problem in column order is the one reported.</summary>
    protected static string? FirstError(params ReadOnlySpan<string?> errors)
    {
        foreach (var e in errors)
        {
            if (e is not null)
            {
                return e;
            }
        }
        return null;
    }

    protected static BulkColumn Text(string name) => new(name, BulkType.Text);

    protected static BulkColumn Long(string name) => new(name, BulkType.Long);

    protected static BulkColumn Real(string name) => new(name, BulkType.Double);

    protected static BulkColumn Time(string name) => new(name, BulkType.Time);
}

internal sealed class CustomersFile : ImportFile
{
    public override string Label => "customers";

    public override IReadOnlyList<string> Columns => CanonicalFormat.CustomerColumns;

    public override string Table => "customers";

    protected override IReadOnlyList<BulkColumn> Fields { get; } =
    [
        Text("external_id"), Text("full_name"), Text("email"), Text("phone"), Time("created_at"),
        Real("home_latitude"), Real("home_longitude"),
    ];

    public override string? Stage(long line, CanonicalRow row, BulkTable staging)
    {
        var error = FirstError(
            Required(row, 0, "customer_id", out var id),
            Required(row, 1, "display_name", out var name),
            Time(row, 4, "created_at", out var createdAt),
            Coordinates(row, 5, 6, "home_latitude", "home_longitude", out var latitude, out var longitude));
        if (error is not null)
        {
            return error;
        }
        var email = row[2]?.Trim().ToLowerInvariant();
        if (email is not null && (email.IndexOf('@', StringComparison.Ordinal) <= 0 || email.Length > 254))
        {
            return $"email '{row[2]}' is not an e-mail address";
        }
        var phone = row[3];
        if (phone is not null && !phone.Any(char.IsAsciiDigit))
        {
            return $"phone '{phone}' has no digits";
        }
        staging.Long(line).Text(id).Text(name).Text(email).Text(phone is null ? null : PhoneNumber.Normalize(phone))
            .Time(createdAt.UtcDateTime).Double(latitude).Double(longitude).EndRow();
        return null;
    }
}

internal sealed class TransactionsFile : ImportFile
{
    public override string Label => "transactions";

    public override IReadOnlyList<string> Columns => CanonicalFormat.TransactionColumns;

    public override string Table => "transactions";

    protected override IReadOnlyList<BulkColumn> Fields { get; } =
    [
        Text("reference"), Text(CustomerRef), Time("occurred_at"), Text("kind"), Long("amount"), Text("currency"),
        Text("counterparty"), Text("merchant_name"), Text("merchant_category"), Text("channel"), Text("device_fingerprint"),
        Text("ip_address"), Real("latitude"), Real("longitude"), Long("balance_after"),
    ];

    public override string? Stage(long line, CanonicalRow row, BulkTable staging)
    {
        var error = FirstError(
            Required(row, 0, "transaction_id", out var id),
            Required(row, 1, "customer_id", out var customer),
            Time(row, 2, "occurred_at", out var occurredAt),
            Required(row, 3, "kind", out var kind),
            Required(row, 5, "currency", out var currency),
            Required(row, 4, "amount", out var amountText),
            Ip(row, 11, out var ip),
            Coordinates(row, 12, 13, "latitude", "longitude", out var latitude, out var longitude));
        if (error is not null)
        {
            return error;
        }
        if (!CanonicalFormat.IsTransactionKind(kind))
        {
            return $"kind '{kind}' is not one of {string.Join(", ", CanonicalFormat.TransactionKindNames)}";
        }
        if (!CurrencyExponents.TryGet(currency, out var exponent))
        {
            return $"currency '{currency}' is not an ISO 4217 code this import knows (upper case, e.g. USD, JPY)";
        }
        if (!CanonicalFormat.TryParseMoney(amountText, exponent, allowNegative: false, out var amount, out var why))
        {
            return $"amount '{amountText}' {why} ({currency})";
        }
        if (amount == 0)
        {
            return $"amount '{amountText}' must be positive";
        }
        long? balance = null;
        if (row[14] is { } balanceText)
        {
            if (!CanonicalFormat.TryParseMoney(balanceText, exponent, allowNegative: true, out var b, out why))
            {
                return $"balance_after '{balanceText}' {why} ({currency})";
            }
            balance = b;
        }
        staging.Long(line).Text(id).Text(customer).Time(occurredAt.UtcDateTime).Text(kind).Long(amount).Text(currency)
            .Text(row[6]).Text(row[7]).Text(row[8]).Text(row[9]).Text(row[10]).Text(ip).Double(latitude).Double(longitude).Long(balance)
            .EndRow();
        return null;
    }
}

internal sealed class EventsFile : ImportFile
{
    public override string Label => "events";

    public override IReadOnlyList<string> Columns => CanonicalFormat.EventColumns;

    public override string Table => "account_events";

    protected override IReadOnlyList<BulkColumn> Fields { get; } =
    [
        Text("external_id"), Text(CustomerRef), Time("occurred_at"), Text("kind"), Text("device_fingerprint"),
        Text("ip_address"), Real("latitude"), Real("longitude"), Text("detail"),
    ];

    public override string? Stage(long line, CanonicalRow row, BulkTable staging)
    {
        var error = FirstError(
            Required(row, 0, "event_id", out var id),
            Required(row, 1, "customer_id", out var customer),
            Time(row, 2, "occurred_at", out var occurredAt),
            Required(row, 3, "kind", out var kind),
            Ip(row, 5, out var ip),
            Coordinates(row, 6, 7, "latitude", "longitude", out var latitude, out var longitude));
        if (error is not null)
        {
            return error;
        }
        if (!CanonicalFormat.EventKinds.TryGetValue(kind, out var stored))
        {
            return $"kind '{kind}' is not one of {string.Join(", ", CanonicalFormat.EventKinds.Keys)}";
        }
        staging.Long(line).Text(id).Text(customer).Time(occurredAt.UtcDateTime).Text(stored).Text(row[4]).Text(ip)
            .Double(latitude).Double(longitude).Text(CanonicalFormat.StoredEventDetail(kind, row[8])).EndRow();
        return null;
    }
}
