using System.Globalization;
using ClaimsOffice.Database.Transactions;

namespace ClaimsOffice.Worker.Import.Convert;

/// <summary>
/// PaySim mobile money: accounts with name, e-mail and phone (shared between synthetic identities, as in life),
/// and hourly steps of cash-in, cash-out, debit (to a bank), payment and transfer. Ground truth never leaves
/// here: <c>isFraud</c>, <c>isFlaggedFraud</c>, <c>typeOrig</c>/<c>typeDest</c>, the accounts' <c>type</c>, the
/// merchants' <c>highRisk</c> flag (a parameter of the simulated fraud) and <c>fraud_rings.csv</c>.
/// </summary>
internal static class PaySimConverter
{
    /// <summary>PaySim has no currency; its amounts have two decimals, so they are written as US dollars.</summary>
    public const string Currency = "USD";
    public const int Exponent = 2;

    /// <summary>Step 0 starts here; a step is one hour.</summary>
    public static readonly DateTimeOffset BaseTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed record Account(string Name, string Email, string Phone);

    public static ConversionSummary Convert(string input, string output, int seed)
    {
        var accounts = new Dictionary<string, Account>(StringComparer.Ordinal);
        using (var source = SourceFile.Open(input, "accounts.csv", "id", "name", "email", "phone"))
        {
            var (id, name, email, phone) = (source.Column("id"), source.Column("name"), source.Column("email"), source.Column("phone"));
            while (source.Read() is { } r)
            {
                accounts[r[id]] = new Account(r[name], r[email], r[phone]);
            }
        }
        var merchants = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var source = SourceFile.Open(input, "merchants.csv", "id", "name"))
        {
            var (id, name) = (source.Column("id"), source.Column("name"));
            while (source.Read() is { } r)
            {
                merchants[r[id]] = r[name];
            }
        }

        var state = new State(accounts, merchants);
        using (var source = SourceFile.Open(input, "transactions.csv", "step", "action", "amount", "idOrig", "oldBalanceOrig", "newBalanceOrig",
                   "idDest", "newBalanceDest", "isFraud", "isSuccessful", "typeOrig"))
        {
            var csv = CsvWriter.Create(Path.Combine(output, "transactions.csv"));
            using (csv.Text)
            {
                csv.Row([.. CanonicalFormat.TransactionColumns]);
                var columns = new Columns(source);
                var step = new List<(long Line, string[] Row)>();
                var current = -1L;
                while (source.Read() is { } r)
                {
                    state.SourceRows++;
                    var s = long.Parse(r[columns.Step], CultureInfo.InvariantCulture);
                    if (s < current)
                    {
                        throw new FormatException($"{source.Name} line {source.Line}: step {s} after step {current}; the file must be in step order.");
                    }
                    if (s != current)
                    {
                        state.WriteStep(csv, columns, current, step);
                        step.Clear();
                        current = s;
                    }
                    step.Add((source.Line, [.. r]));
                }
                state.WriteStep(csv, columns, current, step);
            }
        }

        var csvCustomers = CsvWriter.Create(Path.Combine(output, "customers.csv"));
        using (csvCustomers.Text)
        {
            csvCustomers.Row([.. CanonicalFormat.CustomerColumns]);
            foreach (var (id, a) in accounts.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                // PaySim has no opening date: the account's first transaction (either side) stands in for it.
                var since = state.FirstSeen.TryGetValue(id, out var seen) ? seen : BaseTime;
                csvCustomers.Row(id, a.Name, a.Email, a.Phone, CanonicalFormat.FormatTime(since), null, null);
            }
        }

        // A false claim comes from a customer who was never a victim: the whole simulation is one month.
        var eligible = state.Legit.Where(l => !state.Victims.ContainsKey(l.Key)).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        var claims = new ClaimDeriver(seed).Derive(state.Victims, eligible);
        ClaimDeriver.Write(Path.Combine(output, "claims.csv"), claims, Exponent, Currency);
        return ConversionSummary.From("paysim", accounts.Count, state.Written, state.SourceRows, state.Declined,
            "declined: not successful and no balance moved", claims, state.FirstPartyFraud,
            "first-party fraud: the account holder is the fraudster, so there is no victim to claim", Exponent, Currency);
    }

    private sealed class Columns(SourceFile s)
    {
        public readonly int Step = s.Column("step"), Action = s.Column("action"), Amount = s.Column("amount"), Orig = s.Column("idOrig"),
            OldOrig = s.Column("oldBalanceOrig"), NewOrig = s.Column("newBalanceOrig"), Dest = s.Column("idDest"), NewDest = s.Column("newBalanceDest"),
            Fraud = s.Column("isFraud"), Successful = s.Column("isSuccessful"), TypeOrig = s.Column("typeOrig");
    }

    private sealed class State(Dictionary<string, Account> accounts, Dictionary<string, string> merchants)
    {
        public long SourceRows;
        public long Written;
        public long Declined;
        public int FirstPartyFraud;
        public readonly Dictionary<string, DateTimeOffset> FirstSeen = new(StringComparer.Ordinal);
        public readonly Dictionary<string, List<DisputableTransaction>> Victims = new(StringComparer.Ordinal);
        public readonly Dictionary<string, List<DisputableTransaction>> Legit = new(StringComparer.Ordinal);

        /// <summary>A step's rows spread evenly over its hour, in file order (the simulator's order within the step).</summary>
        public void WriteStep(CsvWriter csv, Columns c, long step, List<(long Line, string[] Row)> rows)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var at = BaseTime + TimeSpan.FromHours(step) + TimeSpan.FromSeconds(Math.Floor(3600.0 * i / rows.Count));
                Write(csv, c, at, rows[i].Line, rows[i].Row);
            }
        }

        private void Write(CsvWriter csv, Columns c, DateTimeOffset at, long line, string[] r)
        {
            var (orig, dest) = (r[c.Orig], r[c.Dest]);
            if (r[c.Successful] == "0" && r[c.OldOrig] == r[c.NewOrig])
            {
                Declined++;
                return;
            }
            var amount = Money(r[c.Amount], line);
            var id = "ps-" + line.ToString(CultureInfo.InvariantCulture);
            var merchant = merchants.GetValueOrDefault(dest);
            var (kind, channel) = r[c.Action] switch
            {
                "CASH_IN" => (TransactionKinds.CashIn, "agent"),
                "CASH_OUT" => (TransactionKinds.CashOut, "agent"),
                "DEBIT" => (TransactionKinds.Withdrawal, "bank"),
                "PAYMENT" => (TransactionKinds.Payment, "mobile"),
                "TRANSFER" => (TransactionKinds.TransferOut, "mobile"),
                var other => throw new FormatException($"transactions.csv line {line}: unknown action '{other}'"),
            };
            csv.Row(id, orig, CanonicalFormat.FormatTime(at), kind, CanonicalFormat.FormatMoney(amount, Exponent), Currency,
                dest, merchant, null, channel, null, null, null, null, Balance(r[c.NewOrig], line));
            Written++;
            Seen(orig, at);
            if (kind == TransactionKinds.TransferOut && accounts.ContainsKey(dest))
            {
                // The receiving wallet's side of the same transfer.
                csv.Row(id + "-in", dest, CanonicalFormat.FormatTime(at), TransactionKinds.TransferIn, CanonicalFormat.FormatMoney(amount, Exponent), Currency,
                    orig, null, null, channel, null, null, null, null, Balance(r[c.NewDest], line));
                Written++;
                Seen(dest, at);
            }

            if (!TransactionKinds.Outgoing.Contains(kind))
            {
                return;
            }
            var disputable = new DisputableTransaction(id, at, amount, merchant ?? dest);
            if (r[c.Fraud] == "1")
            {
                if (r[c.TypeOrig] != "CLIENT")
                {
                    FirstPartyFraud++;
                    return;
                }
                Add(Victims, orig, disputable);
            }
            else if (r[c.TypeOrig] == "CLIENT" && kind is TransactionKinds.Payment or TransactionKinds.TransferOut)
            {
                // What a customer disputes is a payment or a transfer from the app, the kinds the fraud used too;
                // a cash-out was handed over in person at an agent.
                Add(Legit, orig, disputable);
            }
        }

        private void Seen(string account, DateTimeOffset at)
        {
            if (accounts.ContainsKey(account))
            {
                FirstSeen.TryAdd(account, at);
            }
        }

        private static void Add(Dictionary<string, List<DisputableTransaction>> map, string customer, DisputableTransaction t)
        {
            if (!map.TryGetValue(customer, out var list))
            {
                map[customer] = list = [];
            }
            list.Add(t);
        }

        private static long Money(string text, long line) =>
            CanonicalFormat.TryParseMoney(text, Exponent, allowNegative: false, out var minor, out var why) && minor > 0
                ? minor
                : throw new FormatException($"transactions.csv line {line}: amount '{text}' {(why.Length > 0 ? why : "is zero")}");

        private static string Balance(string text, long line) =>
            CanonicalFormat.TryParseMoney(text, Exponent, allowNegative: true, out var minor, out var why)
                ? CanonicalFormat.FormatMoney(minor, Exponent)
                : throw new FormatException($"transactions.csv line {line}: balance '{text}' {why}");
    }
}
