using System.IO.Compression;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Import;
using ClaimsOffice.Worker.Import.Convert;
using Dapper;

namespace ClaimsOffice.Worker.Tests.Import;

/// <summary>Each converter on a tiny hand-made sample in its dataset's shape (never the real data).</summary>
public sealed class ConvertTests : IDisposable
{
    private readonly string _input = Directory.CreateTempSubdirectory("claims-convert-in-").FullName;
    private readonly string _output = Directory.CreateTempSubdirectory("claims-convert-out-").FullName;

    public void Dispose()
    {
        Directory.Delete(_input, recursive: true);
        Directory.Delete(_output, recursive: true);
    }

    private void WriteGz(string name, params string[] lines)
    {
        using var gz = new GZipStream(File.Create(Path.Combine(_input, name + ".gz")), CompressionLevel.Fastest);
        using var w = new StreamWriter(gz);
        w.Write(string.Join("\n", lines) + "\n");
    }

    private string[] Output(string name) => File.ReadAllLines(Path.Combine(_output, name));

    private static Dictionary<string, string>[] Rows(string[] lines)
    {
        var header = lines[0].Split(',');
        var reader = new CsvReader(new StringReader(string.Join("\n", lines[1..])));
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read() is { } r)
        {
            rows.Add(header.Select((h, i) => (h, r[i])).ToDictionary(x => x.h, x => x.Item2));
        }
        return [.. rows];
    }

    private void WriteSparkov()
    {
        // Card 0601 is a victim on 2020-06-10 and pays ordinary bills months earlier; card 0702 never sees fraud.
        // trans_num "dup" repeats across the two cards, as it does in the real export.
        WriteGz("customers.csv",
            "ssn,cc_num,first,last,gender,street,city,state,zip,lat,long,city_pop,job,dob,acct_num,profile",
            "111-11-1111,0601,Mary,Stone,F,1 Main St,Nashville,TN,37209,36.1546,-86.8602,431336,Attorney,1946-03-21,1,adults_50up_female_urban.json",
            "222-22-2222,0702,Kyle,Cannon,M,2 Shaw St,La Puente,CA,91744,34.0289,-117.9373,115525,Operator,1968-06-01,2,adults_2550_male_rural.json");
        WriteGz("transactions.csv",
            "trans_num,cc_num,trans_date,trans_time,unix_time,category,amt,is_fraud,merchant,merch_lat,merch_long",
            "a1,0601,2020-01-02,10:00:00,1577959200,grocery_pos,45.10,0,fraud_Kling Inc,36.1,-86.8",
            "dup,0601,2020-01-03,11:00:00,1578049200,shopping_net,120.00,0,\"fraud_Jenkins, Hauck and Friesen\",36.2,-86.7",
            "a3,0601,2020-06-10,01:00:00,1591750800,shopping_net,999.99,1,fraud_Koss and Sons,40.0,-80.0",
            "a4,0601,2020-06-10,02:30:00,1591756200,misc_pos,850.00,1,fraud_Koss and Sons,40.0,-80.0",
            "dup,0702,2020-02-01,09:00:00,1580547600,gas_transport,30.00,0,fraud_Heller-Langosh,34.0,-117.9",
            "b2,0702,2020-02-05,09:00:00,1580893200,grocery_net,60.00,0,fraud_Schmitt Inc,34.0,-117.9");
    }

    [Fact]
    public void Sparkov_becomes_canonical_files_without_any_label()
    {
        WriteSparkov();

        var summary = SparkovConverter.Convert(_input, _output, seed: 7);

        var customers = Rows(Output("customers.csv"));
        Assert.Equal(string.Join(",", CanonicalFormat.CustomerColumns), Output("customers.csv")[0]);
        Assert.Equal(["0601", "0702"], customers.Select(c => c["customer_id"]));
        Assert.Equal(("Mary Stone", "", "", "2020-01-02T10:00:00Z", "36.1546", "-86.8602"),
            (customers[0]["display_name"], customers[0]["email"], customers[0]["phone"], customers[0]["created_at"], customers[0]["home_latitude"], customers[0]["home_longitude"]));

        var transactions = Rows(Output("transactions.csv"));
        Assert.Equal(string.Join(",", CanonicalFormat.TransactionColumns), Output("transactions.csv")[0]);
        Assert.Equal(["0601-a1", "0601-dup", "0601-a3", "0601-a4", "0702-dup", "0702-b2"], transactions.Select(t => t["transaction_id"]));
        var online = transactions[1];
        Assert.Equal(("0601", "2020-01-03T11:00:00Z", "payment", "120.00", "USD", "Jenkins, Hauck and Friesen", "shopping_net", "online", "36.2", "-86.7"),
            (online["customer_id"], online["occurred_at"], online["kind"], online["amount"], online["currency"], online["merchant_name"],
             online["merchant_category"], online["channel"], online["latitude"], online["longitude"]));
        Assert.Equal("card_present", transactions[0]["channel"]);
        Assert.Equal("", transactions[4]["channel"]);

        var everything = string.Join("\n", Output("customers.csv").Concat(Output("transactions.csv")));
        Assert.DoesNotContain("fraud", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(".json", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("111-11-1111", everything, StringComparison.Ordinal);

        var claims = Rows(Output("claims.csv"));
        Assert.Equal(string.Join(",", CanonicalFormat.ClaimColumns), Output("claims.csv")[0]);
        var genuine = Assert.Single(claims, c => c["truth"] == "genuine");
        Assert.Equal(("0601", "0601-a3;0601-a4"), (genuine["customer_id"], genuine["transaction_ids"]));
        var filed = DateTimeOffset.Parse(genuine["filed_at"], System.Globalization.CultureInfo.InvariantCulture);
        var last = new DateTimeOffset(2020, 6, 10, 2, 30, 0, TimeSpan.Zero);
        Assert.InRange(filed, last.AddMinutes(30), last.AddHours(12));
        var falseClaim = Assert.Single(claims, c => c["truth"] == "false");
        Assert.DoesNotContain("a3", falseClaim["transaction_ids"], StringComparison.Ordinal);
        Assert.DoesNotContain("a4", falseClaim["transaction_ids"], StringComparison.Ordinal);
        Assert.All(claims, c => Assert.Matches("^claim-00000[12]$", c["claim_id"]));
        Assert.Equal((1, 2, 1), (summary.GenuineClaims, summary.GenuineTransactions, summary.FalseClaims));
    }

    [Fact]
    public void The_same_seed_gives_the_same_claims_and_another_seed_may_not()
    {
        WriteSparkov();
        SparkovConverter.Convert(_input, _output, seed: 7);
        var first = Output("claims.csv");

        SparkovConverter.Convert(_input, _output, seed: 7);

        Assert.Equal(first, Output("claims.csv"));
    }

    private void WritePaySim()
    {
        WriteGz("accounts.csv",
            "id,type,name,email,ssn,phone,bankId",
            "100,CLIENT,\"Ann Victim\",\"ann@mail.com\",\"1\",\"059-028-446\",B1",
            "200,CLIENT,\"Bob Payer\",\"bob@mail.com\",\"2\",\"059-028-447\",B1",
            "300,MULE,\"Mo Mule\",\"shared@mail.com\",\"3\",\"059-028-448\",B1",
            "400,FIRST_PARTY_FRAUDSTER,\"Syn One\",\"shared@mail.com\",\"4\",\"059-028-448\",B1");
        WriteGz("merchants.csv", "id,name,highRisk", "M-1,\"Quisuc Company\",true", "M-2,\"Interdem Consulting\",false");
        WriteGz("banks.csv", "id,name", "B1,\"Bank of Dunn\"");
        WriteGz("fraud_rings.csv", "fraudsterId,fraudsterType,relation,otherId", "400,FIRST_PARTY,uses,300");
        WriteGz("transactions.csv",
            "step,action,amount,idOrig,oldBalanceOrig,newBalanceOrig,idDest,oldBalanceDest,newBalanceDest,isFraud,isFlaggedFraud,isUnauthorizedOverdraft,isSuccessful,typeOrig,typeDest",
            "0,CASH_IN,500.00,100,0.00,500.00,M-2,0.00,0.00,0,0,0,0,CLIENT,MERCHANT",
            "0,PAYMENT,20.00,200,900.00,880.00,M-2,0.00,20.00,0,0,0,1,CLIENT,MERCHANT",
            "1,PAYMENT,5.50,100,500.00,494.50,M-1,0.00,5.50,1,0,0,1,CLIENT,MERCHANT",
            "1,TRANSFER,400.00,100,494.50,94.50,300,0.00,400.00,1,0,0,1,CLIENT,MULE",
            "1,PAYMENT,9999.00,200,880.00,880.00,M-2,0.00,0.00,0,0,1,0,CLIENT,MERCHANT",
            "2,TRANSFER,70.00,400,70.00,0.00,300,400.00,470.00,1,0,0,1,MULE,MULE",
            "3,DEBIT,100.00,200,880.00,780.00,B1,0.00,0.00,0,0,0,0,CLIENT,BANK",
            "4,TRANSFER,300.00,200,780.00,480.00,100,94.50,394.50,0,0,0,1,CLIENT,CLIENT");
    }

    [Fact]
    public void PaySim_becomes_canonical_files_without_any_label()
    {
        WritePaySim();

        var summary = PaySimConverter.Convert(_input, _output, seed: 7);

        var customers = Rows(Output("customers.csv"));
        Assert.Equal(["100", "200", "300", "400"], customers.Select(c => c["customer_id"]));
        Assert.Equal(("Syn One", "shared@mail.com", "059-028-448"), (customers[3]["display_name"], customers[3]["email"], customers[3]["phone"]));
        Assert.Equal("2024-01-01T00:00:00Z", customers[0]["created_at"]);
        Assert.Equal("2024-01-01T01:20:00Z", customers[2]["created_at"]);

        var transactions = Rows(Output("transactions.csv"));
        string Line(string id)
        {
            var t = transactions.Single(x => x["transaction_id"] == id);
            return string.Join("|", CanonicalFormat.TransactionColumns.Select(c => t[c]));
        }
        // Line numbers of the source file; step 1's three rows spread over its hour (0, 20, 40 min), the declined third one dropped.
        Assert.Equal("ps-2|100|2024-01-01T00:00:00Z|cash_in|500.00|USD|M-2|Interdem Consulting||agent|||||500.00", Line("ps-2"));
        Assert.Equal("ps-4|100|2024-01-01T01:00:00Z|payment|5.50|USD|M-1|Quisuc Company||mobile|||||494.50", Line("ps-4"));
        Assert.Equal("ps-5|100|2024-01-01T01:20:00Z|transfer_out|400.00|USD|300|||mobile|||||94.50", Line("ps-5"));
        Assert.Equal("ps-5-in|300|2024-01-01T01:20:00Z|transfer_in|400.00|USD|100|||mobile|||||400.00", Line("ps-5-in"));
        Assert.Equal("ps-8|200|2024-01-01T03:00:00Z|withdrawal|100.00|USD|B1|||bank|||||780.00", Line("ps-8"));
        Assert.DoesNotContain(transactions, t => t["transaction_id"] == "ps-6");
        Assert.Equal((1L, 10L), (summary.DroppedRows, summary.Transactions));

        var everything = string.Join("\n", Output("customers.csv").Concat(Output("transactions.csv")));
        foreach (var label in new[] { "CLIENT", "MULE", "MERCHANT", "FRAUDSTER", "true", "false" })
        {
            Assert.DoesNotContain(label, everything, StringComparison.Ordinal);
        }

        var claims = Rows(Output("claims.csv"));
        var genuine = Assert.Single(claims, c => c["truth"] == "genuine");
        Assert.Equal(("100", "ps-4;ps-5"), (genuine["customer_id"], genuine["transaction_ids"]));
        var falseClaim = Assert.Single(claims, c => c["truth"] == "false");
        Assert.Equal("200", falseClaim["customer_id"]);
        Assert.DoesNotContain("ps-8", falseClaim["transaction_ids"], StringComparison.Ordinal);
        Assert.Equal(1, summary.UnclaimedFraudTransactions);
    }

    [DatabaseTheory]
    public async Task Converted_files_import_and_every_claimed_transaction_belongs_to_the_claimant(DatabaseKind kind)
    {
        WritePaySim();
        PaySimConverter.Convert(_input, _output, seed: 7);
        await using var db = await TestDatabase.CreateAsync(kind);

        var report = await new Importer(db.Connections).ImportAsync(
            new ImportRequest(Path.Combine(_output, "customers.csv"), Path.Combine(_output, "transactions.csv"), null, SkipBadRows: false),
            new SilentImportProgress(), CancellationToken.None);

        Assert.False(report.Refused, string.Join("\n", report.Issues));
        await using var c = await db.Connections.OpenAsync(CancellationToken.None);
        foreach (var claim in Rows(Output("claims.csv")))
        {
            foreach (var id in claim["transaction_ids"].Split(';'))
            {
                var owner = await c.ExecuteScalarAsync<string>(
                    "SELECT c.external_id FROM transactions t JOIN customers c ON c.id = t.customer_id WHERE t.reference = @id", new { id });
                Assert.Equal(claim["customer_id"], owner);
            }
        }
    }
}
