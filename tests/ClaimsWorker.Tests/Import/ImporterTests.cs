using System.IO.Compression;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Import;
using Dapper;

namespace ClaimsOffice.Worker.Tests.Import;

public sealed class ImporterTests : IDisposable
{
    private const string CustomersHeader = "customer_id,display_name,email,phone,created_at,home_latitude,home_longitude";
    private const string TransactionsHeader = "transaction_id,customer_id,occurred_at,kind,amount,currency,counterparty,merchant_name,merchant_category,channel,device_id,ip_address,latitude,longitude,balance_after";
    private const string EventsHeader = "event_id,customer_id,occurred_at,kind,device_id,ip_address,latitude,longitude,detail";

    private static readonly string[] Customers =
    [
        CustomersHeader,
        "c-1,Ana Silva,Ana@Example.com,+1 555 0100,2024-01-05T10:00:00Z,40.7128,-74.0060",
        "c-2,\"Kim, Jo\",,,2024-02-01T00:00:00+09:00,,",
    ];

    private static readonly string[] Transactions =
    [
        TransactionsHeader,
        "t-1,c-1,2024-03-01T14:05:00Z,payment,12.34,USD,,\"Corner Shop, Main St\",grocery_pos,card_present,,,40.71,-74.00,",
        "t-2,c-1,2024-03-01T15:00:00-05:00,transfer_out,1500,JPY,acct-9,,,mobile,dev-1,203.0.113.7,,,98500",
        "t-3,c-2,2024-03-02T09:00:00Z,cash_out,0.5,USD,,,,agent,,,,,-3.25",
    ];

    private static readonly string[] Events =
    [
        EventsHeader,
        "e-1,c-1,2024-03-01T13:59:00Z,login,dev-1,203.0.113.7,,,",
        "e-2,c-1,2024-03-01T14:00:00Z,phone_changed,dev-1,,,,new number",
        "e-3,c-2,2024-03-01T14:00:00Z,bank_unlinked,,,35.0,139.0,",
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("claims-import-").FullName;

    private static CancellationToken Ct => CancellationToken.None;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private static Task<ImportReport> ImportAsync(TestDatabase db, string? customers = null, string? transactions = null, string? events = null, bool skip = false) =>
        new Importer(db.Connections).ImportAsync(new ImportRequest(customers, transactions, events, skip), new SilentImportProgress(), Ct);

    private static async Task<long> CountAsync(TestDatabase db, string table)
    {
        await using var c = await db.Connections.OpenAsync(Ct);
        return await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    [DatabaseTheory]
    public async Task Imports_every_field_of_the_three_files_in_minor_units_and_utc(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);

        var report = await ImportAsync(db, Write("customers.csv", Customers), Write("transactions.csv", Transactions), Write("events.csv", Events));

        Assert.False(report.Refused, string.Join("\n", report.Issues));
        Assert.Equal([2L, 3L, 3L], report.Files.Select(f => f.Imported));
        var customers = new CustomerRepository(db.Connections);
        var ana = await customers.FindByContactAsync("ana@example.com", Ct);
        Assert.NotNull(ana);
        Assert.Equal("c-1", ana.ExternalId);
        Assert.Equal(("ana@example.com", "+15550100"), (ana.Email, ana.Phone));
        Assert.Equal(40.7128, ana.HomeLatitude);
        Assert.Equal(-74.0060, ana.HomeLongitude);
        Assert.Equal(new DateTimeOffset(2024, 1, 5, 10, 0, 0, TimeSpan.Zero), ana.CreatedAt);

        var history = await new TransactionRepository(db.Connections).ListBetweenAsync(ana.Id, DateTimeOffset.MinValue.AddYears(1), DateTimeOffset.MaxValue.AddYears(-1), Ct);
        Assert.Equal(["t-1", "t-2"], history.Select(t => t.Reference));
        var shop = history[0];
        Assert.Equal((1234L, "USD", "payment"), (shop.Amount, shop.Currency, shop.Kind));
        Assert.Equal(("Corner Shop, Main St", "grocery_pos", "card_present"), (shop.MerchantName, shop.MerchantCategory, shop.Channel));
        Assert.Equal((40.71, -74.00), (shop.Latitude, shop.Longitude));
        Assert.Null(shop.BalanceAfter);
        var transfer = history[1];
        Assert.Equal((1500L, "JPY", 98_500L), (transfer.Amount, transfer.Currency, transfer.BalanceAfter));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 20, 0, 0, TimeSpan.Zero), transfer.OccurredAt);
        Assert.Equal(("acct-9", "dev-1", "203.0.113.7"), (transfer.Counterparty, transfer.DeviceFingerprint, transfer.IpAddress));

        var kim = await customers.GetAsync((await IdOfAsync(db, "c-2")), Ct);
        Assert.NotNull(kim);
        Assert.Equal(("Kim, Jo", "", ""), (kim.FullName, kim.Email, kim.Phone));
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 15, 0, 0, TimeSpan.Zero), kim.CreatedAt);
        var cash = (await new TransactionRepository(db.Connections).GetByReferencesAsync(["t-3"], Ct)).Single();
        Assert.Equal((50L, -325L, TransactionKinds.CashOut), (cash.Amount, cash.BalanceAfter, cash.Kind));
        Assert.True(cash.IsOutgoing);

        var events = await customers.ListEventsAsync(ana.Id, DateTimeOffset.MinValue.AddYears(1), DateTimeOffset.MaxValue.AddYears(-1), Ct);
        Assert.Equal([AccountEventKinds.SignIn, AccountEventKinds.ContactChanged], events.Select(e => e.Kind));
        Assert.Equal(("e-2", "phone: new number"), (events[1].ExternalId, events[1].Detail));
        var unlinked = await customers.ListEventsAsync(kim.Id, DateTimeOffset.MinValue.AddYears(1), DateTimeOffset.MaxValue.AddYears(-1), Ct);
        Assert.Equal((AccountEventKinds.BankAccountUnlinked, 35.0, 139.0), (unlinked.Single().Kind, unlinked.Single().Latitude, unlinked.Single().Longitude));
    }

    private static async Task<long> IdOfAsync(TestDatabase db, string externalId)
    {
        await using var c = await db.Connections.OpenAsync(Ct);
        return await c.ExecuteScalarAsync<long>("SELECT id FROM customers WHERE external_id = @externalId", new { externalId });
    }

    [DatabaseTheory]
    public async Task Importing_the_same_files_again_changes_nothing(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var files = (Write("customers.csv", Customers), Write("transactions.csv", Transactions), Write("events.csv", Events));
        await ImportAsync(db, files.Item1, files.Item2, files.Item3);

        var again = await ImportAsync(db, files.Item1, files.Item2, files.Item3);

        Assert.False(again.Refused);
        Assert.All(again.Files, f => Assert.Equal(0, f.Imported));
        Assert.Equal([2L, 3L, 3L], again.Files.Select(f => f.AlreadyPresent));
        Assert.Equal((2L, 3L, 3L), (await CountAsync(db, "customers"), await CountAsync(db, "transactions"), await CountAsync(db, "account_events")));
    }

    [DatabaseTheory]
    public async Task A_file_that_partly_overlaps_the_database_adds_only_its_new_rows_and_leaves_the_old_ones_as_they_were(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var customers = Write("customers.csv", Customers);
        await ImportAsync(db, customers, Write("transactions.csv", [Transactions[0], Transactions[2]]));

        // t-2 is already there with other values; a bad row and new rows before and after it.
        var report = await ImportAsync(db, customers, Write("more.csv",
        [
            TransactionsHeader,
            "t-1,c-1,2024-03-01T14:05:00Z,payment,12.34,USD,,,,,,,,,",
            "t-2,c-1,2024-03-01T15:00:00Z,payment,777.00,USD,,,,,,,,,",
            "t-6,c-1,never,payment,1.00,USD,,,,,,,,,",
            "t-7,c-2,2024-03-03T00:00:00Z,refund,7.00,EUR,,,,,,,,,",
        ]), skip: true);

        Assert.False(report.Refused);
        var file = report.Files.Single(f => f.File == "more.csv");
        Assert.Equal((4L, 1L, 2L, 1L), (file.RowsRead, file.BadRows, file.Imported, file.AlreadyPresent));
        Assert.Equal("more.csv line 4: occurred_at 'never' is not an ISO 8601 time with an offset, e.g. 2024-03-01T14:05:00Z", report.Issues.Single().ToString());
        var rows = await new TransactionRepository(db.Connections).GetByReferencesAsync(["t-1", "t-2", "t-6", "t-7"], Ct);
        Assert.Equal(["t-1", "t-2", "t-7"], rows.Select(r => r.Reference).Order(StringComparer.Ordinal));
        Assert.Equal((1500L, "JPY"), (rows.Single(r => r.Reference == "t-2").Amount, rows.Single(r => r.Reference == "t-2").Currency));
        var added = rows.Single(r => r.Reference == "t-7");
        Assert.Equal((700L, "EUR", await IdOfAsync(db, "c-2")), (added.Amount, added.Currency, added.CustomerId));
    }

    [DatabaseTheory]
    public async Task Gzip_files_import_like_plain_ones(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var path = Path.Combine(_folder, "customers.csv.gz");
        await using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        await using (var w = new StreamWriter(gz))
        {
            await w.WriteAsync(string.Join("\n", Customers));
        }

        var report = await ImportAsync(db, customers: path);

        Assert.Equal(2, report.Files.Single().Imported);
    }

    public static TheoryData<string, string> BadTransactionRows => new()
    {
        { "t-9,c-1,2024-13-01T00:00:00Z,payment,1.00,USD,,,,,,,,,", "occurred_at '2024-13-01T00:00:00Z' is not an ISO 8601 time with an offset" },
        { "t-9,c-1,2024-03-01T00:00:00,payment,1.00,USD,,,,,,,,,", "occurred_at '2024-03-01T00:00:00' is not an ISO 8601 time with an offset" },
        { "t-9,c-1,2024-03-01T00:00:00Z,payment,1.234,USD,,,,,,,,,", "amount '1.234' has more than 2 decimals (USD)" },
        { "t-9,c-1,2024-03-01T00:00:00Z,payment,100.5,JPY,,,,,,,,,", "amount '100.5' has decimals, which this currency does not have (JPY)" },
        { "t-9,c-1,2024-03-01T00:00:00Z,payment,-5.00,USD,,,,,,,,,", "amount '-5.00' must be positive (USD)" },
        { "t-9,c-1,2024-03-01T00:00:00Z,payment,0.00,USD,,,,,,,,,", "amount '0.00' must be positive" },
        { "t-9,c-1,2024-03-01T00:00:00Z,payment,1e3,USD,,,,,,,,,", "amount '1e3' is not a number like 12.34 (USD)" },
        { "t-9,c-1,2024-03-01T00:00:00Z,payment,1.00,usd,,,,,,,,,", "currency 'usd' is not an ISO 4217 code" },
        { "t-9,c-1,2024-03-01T00:00:00Z,chargeback,1.00,USD,,,,,,,,,", "kind 'chargeback' is not one of payment, transfer_out" },
        { "t-9,c-1,2024-03-01T00:00:00Z,payment,1.00,USD,,,,,,not-an-ip,,,", "ip_address 'not-an-ip' is not an IPv4 or IPv6 address" },
        { "t-9,c-1,2024-03-01T00:00:00Z,payment,1.00,USD,,,,,,,91,10,", "latitude '91' is not a latitude from -90 to 90" },
        { "t-9,c-1,2024-03-01T00:00:00Z,payment,1.00,USD,,,,,,,10,,", "latitude and longitude must both be given or both be empty" },
        { ",c-1,2024-03-01T00:00:00Z,payment,1.00,USD,,,,,,,,,", "transaction_id is empty" },
        { "t-9,c-1,2024-03-01T00:00:00Z,payment,1.00,USD", "has 6 fields, the header has 15" },
        { "t-9,nobody,2024-03-01T00:00:00Z,payment,1.00,USD,,,,,,,,,", "customer_id 'nobody' is not a known customer" },
        { "t-1,c-1,2024-03-01T00:00:00Z,payment,1.00,USD,,,,,,,,,", "transaction_id 't-1' appears earlier in the file" },
    };

    [Theory]
    [MemberData(nameof(BadTransactionRows))]
    public async Task A_bad_row_refuses_the_whole_import_and_names_its_line(string badRow, string expected)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var customers = Write("customers.csv", Customers);
        var transactions = Write("transactions.csv", [.. Transactions, badRow]);

        var report = await ImportAsync(db, customers, transactions);

        Assert.True(report.Refused);
        var issue = Assert.Single(report.Issues);
        Assert.Equal(("transactions.csv", 5L), (issue.File, issue.Line));
        Assert.StartsWith(expected, issue.Message, StringComparison.Ordinal);
        Assert.Equal((0L, 0L), (await CountAsync(db, "customers"), await CountAsync(db, "transactions")));
    }

    [DatabaseTheory]
    public async Task Each_bad_row_refuses_the_whole_file_on_both_databases_and_the_empty_tables_stay_empty(DatabaseKind kind)
    {
        // PostgreSQL writes into an empty table while it reads the file; a refusal must still leave nothing behind.
        await using var db = await TestDatabase.CreateAsync(kind);
        var customers = Write("customers.csv", Customers);
        foreach (var (badRow, expected) in BadTransactionRows.Select(r => ((string)r[0], (string)r[1])))
        {
            var report = await ImportAsync(db, customers, Write("transactions.csv", [.. Transactions, badRow]));

            Assert.True(report.Refused, badRow);
            var issue = Assert.Single(report.Issues);
            Assert.Equal(("transactions.csv", 5L), (issue.File, issue.Line));
            Assert.StartsWith(expected, issue.Message, StringComparison.Ordinal);
            Assert.Equal((0L, 0L), (await CountAsync(db, "customers"), await CountAsync(db, "transactions")));
        }

        var good = await ImportAsync(db, customers, Write("transactions.csv", Transactions));

        Assert.Equal([2L, 3L], good.Files.Select(f => f.Imported));
    }

    [DatabaseTheory]
    public async Task Every_bad_row_is_counted_though_only_the_first_hundred_are_listed(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var ghosts = Enumerable.Range(1, 150).Select(i => $"g-{i},ghost-{i},2024-03-01T00:00:00Z,payment,1.00,USD,,,,,,,,,");
        var repeats = Enumerable.Range(1, 5).Select(_ => "t-2,c-2,2024-03-01T00:00:00Z,payment,2.00,USD,,,,,,,,,");
        var transactions = Write("transactions.csv", [.. Transactions, .. ghosts, .. repeats]);

        var refused = await ImportAsync(db, Write("customers.csv", Customers), transactions);
        var skipped = await ImportAsync(db, Write("customers.csv", Customers), transactions, skip: true);

        Assert.True(refused.Refused);
        Assert.Equal(155, refused.Files[1].BadRows);
        Assert.Equal(Importer.IssuesKept, refused.Issues.Count);
        // The repeated ids first (as the staging path's checks report them), then the unknown customers by line.
        Assert.Equal("transactions.csv line 155: transaction_id 't-2' appears earlier in the file", refused.Issues[0].ToString());
        Assert.Equal("transactions.csv line 5: customer_id 'ghost-1' is not a known customer (import the customers file first, or with it)", refused.Issues[5].ToString());
        Assert.False(skipped.Refused);
        Assert.Equal((158L, 155L, 3L, 0L), (skipped.Files[1].RowsRead, skipped.Files[1].BadRows, skipped.Files[1].Imported, skipped.Files[1].AlreadyPresent));
        Assert.Equal(3, await CountAsync(db, "transactions"));
        var t2 = (await new TransactionRepository(db.Connections).GetByReferencesAsync(["t-2"], Ct)).Single();
        Assert.Equal((1500L, "JPY"), (t2.Amount, t2.Currency));
    }

    [PostgresFact]
    public async Task An_import_into_empty_tables_leaves_their_indexes_and_constraints_as_they_were_and_enforced()
    {
        // PostgreSQL drops them while it fills an empty table and builds them again from their own definitions.
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var before = await CatalogueAsync(db);

        var refused = await ImportAsync(db, Write("customers.csv", Customers), Write("transactions.csv", [.. Transactions, "t-1,c-1,2024-03-01T00:00:00Z,payment,1.00,USD,,,,,,,,,"]));
        var afterRefused = await CatalogueAsync(db);
        var imported = await ImportAsync(db, Write("customers.csv", Customers), Write("transactions.csv", Transactions), Write("events.csv", Events));
        var after = await CatalogueAsync(db);

        Assert.True(refused.Refused);
        Assert.False(imported.Refused);
        Assert.Equal(before, afterRefused);
        Assert.Equal(before, after);
        Assert.Contains(before, d => d.Contains("FOREIGN KEY (customer_id) REFERENCES customers(id)", StringComparison.Ordinal));
        Assert.Contains(before, d => d.Contains("ix_transactions_customer", StringComparison.Ordinal));
        await using var c = await db.Connections.OpenAsync(Ct);
        const string insert = "INSERT INTO transactions (reference, customer_id, kind, amount, currency, occurred_at) VALUES (@reference, @customer, 'payment', 100, 'USD', now())";
        var unknownCustomer = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => c.ExecuteAsync(insert, new { reference = "t-new", customer = -1L }));
        Assert.Equal("transactions_customer_id_fkey", unknownCustomer.ConstraintName);
        var customer = await IdOfAsync(db, "c-1");
        var sameReference = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => c.ExecuteAsync(insert, new { reference = "t-1", customer }));
        Assert.Equal("transactions_reference_key", sameReference.ConstraintName);
    }

    /// <summary>Every index and constraint of the imported tables, as PostgreSQL would create it again, and whether it is validated.</summary>
    private static async Task<List<string>> CatalogueAsync(TestDatabase db)
    {
        await using var c = await db.Connections.OpenAsync(Ct);
        return [.. await c.QueryAsync<string>("""
            SELECT indexdef FROM pg_indexes WHERE tablename IN ('customers', 'transactions', 'account_events')
            UNION ALL
            SELECT conname || ' ' || pg_get_constraintdef(oid) || ' validated=' || convalidated FROM pg_constraint
            WHERE conrelid IN ('customers'::regclass, 'transactions'::regclass, 'account_events'::regclass)
            ORDER BY 1
            """)];
    }

    [DatabaseTheory]
    public async Task Bad_rows_on_both_databases_refuse_everything_by_default_and_are_skipped_when_asked(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var customers = Write("customers.csv", [.. Customers, "c-3,Bad Date,,,yesterday,,"]);
        var transactions = Write("transactions.csv",
        [
            .. Transactions,
            "t-4,c-9,2024-03-01T00:00:00Z,payment,1.00,USD,,,,,,,,,",
            "t-1,c-1,2024-03-01T00:00:00Z,payment,9.99,USD,,,,,,,,,",
            "t-5,c-2,2024-03-01T00:00:00Z,refund,2.50,USD,,,,,,,,,",
        ]);

        var refused = await ImportAsync(db, customers, transactions);

        Assert.True(refused.Refused);
        Assert.Equal("customers.csv line 4: created_at 'yesterday' is not an ISO 8601 time with an offset, e.g. 2024-03-01T14:05:00Z", refused.Issues.Single().ToString());
        Assert.Equal((0L, 0L), (await CountAsync(db, "customers"), await CountAsync(db, "transactions")));

        var skipped = await ImportAsync(db, customers, transactions, skip: true);

        Assert.False(skipped.Refused);
        Assert.Equal(
        [
            "customers.csv line 4: created_at 'yesterday' is not an ISO 8601 time with an offset, e.g. 2024-03-01T14:05:00Z",
            "transactions.csv line 6: transaction_id 't-1' appears earlier in the file",
            "transactions.csv line 5: customer_id 'c-9' is not a known customer (import the customers file first, or with it)",
        ], skipped.Issues.Select(i => i.ToString()));
        Assert.Equal([1L, 2L], skipped.Files.Select(f => f.BadRows));
        Assert.Equal((2L, 4L), (await CountAsync(db, "customers"), await CountAsync(db, "transactions")));
        var first = (await new TransactionRepository(db.Connections).GetByReferencesAsync(["t-1"], Ct)).Single();
        Assert.Equal(1234L, first.Amount);
    }

    [DatabaseTheory]
    public async Task A_transactions_file_refused_after_a_good_customers_file_leaves_no_customers_behind(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);

        var report = await ImportAsync(db, Write("customers.csv", Customers), Write("transactions.csv", [.. Transactions, "t-9,c-1,soon,payment,1.00,USD,,,,,,,,,"]));

        Assert.True(report.Refused);
        Assert.Equal(0, await CountAsync(db, "customers"));
    }

    [Fact]
    public async Task Unknown_and_missing_columns_are_named_and_nothing_is_imported()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var path = Write("customers.csv", ["customer_id,display_name,email,phone,created_at,home_latitude,segment", "c-1,A,,,2024-01-01T00:00:00Z,,gold"]);

        var e = await Assert.ThrowsAsync<ImportFormatException>(() => ImportAsync(db, customers: path));

        Assert.Contains("customers.csv line 1 (header): unknown column(s) segment; missing column(s) home_longitude", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(db, "customers"));
    }

    [Fact]
    public async Task Columns_may_come_in_any_order()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var path = Write("customers.csv", ["home_longitude,home_latitude,created_at,phone,email,display_name,customer_id", "2.35,48.85,2024-01-01T00:00:00Z,,a@b.fr,Al,c-7"]);

        await ImportAsync(db, customers: path);

        var customer = await new CustomerRepository(db.Connections).GetAsync(await IdOfAsync(db, "c-7"), Ct);
        Assert.Equal(("Al", "a@b.fr", 48.85, 2.35), (customer!.FullName, customer.Email, customer.HomeLatitude, customer.HomeLongitude));
    }

    [Fact]
    public async Task An_unclosed_quote_is_a_format_error_with_its_line()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var path = Write("customers.csv", [CustomersHeader, "c-1,A,,,2024-01-01T00:00:00Z,,", "c-2,\"Open,,,2024-01-01T00:00:00Z,,"]);

        var e = await Assert.ThrowsAsync<ImportFormatException>(() => ImportAsync(db, customers: path));

        Assert.Equal("customers.csv: line 3: a quoted field is not closed before the end of the file", e.Message);
        Assert.Equal(0, await CountAsync(db, "customers"));
    }

    [DatabaseTheory]
    public async Task Imported_customers_may_share_an_email_or_phone_and_have_none(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var path = Write("customers.csv",
        [
            CustomersHeader,
            "s-1,Synthetic One,shared@mail.com,059-028-446,2024-01-01T00:00:00Z,,",
            "s-2,Synthetic Two,shared@mail.com,059-028-446,2024-01-02T00:00:00Z,,",
            "s-3,No Contact,,,2024-01-03T00:00:00Z,,",
            "s-4,No Contact Either,,,2024-01-03T00:00:00Z,,",
        ]);

        var report = await ImportAsync(db, customers: path);

        Assert.Equal(4, report.Files.Single().Imported);
        await using var c = await db.Connections.OpenAsync(Ct);
        Assert.Equal(2, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE email = 'shared@mail.com'"));
        Assert.Equal(2, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE email IS NULL AND phone IS NULL"));
    }
}
