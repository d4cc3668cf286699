using System.Globalization;
using System.Text;
using ClaimsOffice.Database.RuleSets;

namespace ClaimsOffice.Worker.Evaluation;

/// <summary>Claims with a known truth and what the engine did with them; prints the confusion table and the summary line.</summary>
public sealed class Scoreboard
{
    private readonly long[,] _count = new long[2, 2];
    private readonly long[,] _money = new long[2, 2];

    public void Add(string truth, bool autoPaid, long amount)
    {
        var t = truth == ClaimTruth.Genuine ? 0 : 1;
        var p = autoPaid ? 0 : 1;
        _count[t, p]++;
        _money[t, p] += amount;
    }

    public long Genuine => _count[0, 0] + _count[0, 1];
    public long False => _count[1, 0] + _count[1, 1];
    public double GenuineAutoPaid => Percent(_count[0, 0], Genuine);
    public double FalseAutoPaid => Percent(_count[1, 0], False);
    public double GenuineMoneyAutoPaid => Percent(_money[0, 0], _money[0, 0] + _money[0, 1]);
    public double FalseMoneyAutoPaid => Percent(_money[1, 0], _money[1, 0] + _money[1, 1]);

    private static double Percent(long part, long whole) => whole == 0 ? 0 : 100.0 * part / whole;

    /// <summary>Rows: the truth; columns: what the engine did. Money in minor units of the claims' currency.</summary>
    public string Table()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"{"truth \\ engine",-16} {"auto-paid",12} {"review",12} {"auto-paid money",18} {"review money",18}");
        s.AppendLine(CultureInfo.InvariantCulture, $"{"genuine",-16} {_count[0, 0],12:N0} {_count[0, 1],12:N0} {_money[0, 0],18:N0} {_money[0, 1],18:N0}");
        s.Append(CultureInfo.InvariantCulture, $"{"false",-16} {_count[1, 0],12:N0} {_count[1, 1],12:N0} {_money[1, 0],18:N0} {_money[1, 1],18:N0}");
        return s.ToString();
    }

    /// <summary>The line the issue asks evaluate to end with, exactly.</summary>
    public string SummaryLine(string prefix = "evaluate") => string.Create(CultureInfo.InvariantCulture,
        $"{prefix}: genuine={Genuine} genuine_auto_paid={GenuineAutoPaid:0.0}% false={False} false_auto_paid={FalseAutoPaid:0.0}% genuine_money_auto_paid={GenuineMoneyAutoPaid:0.0}% false_money_auto_paid={FalseMoneyAutoPaid:0.0}%");
}

/// <summary>Splits customers into stable parts (tune on one, hold out the other): the same customer always lands in the same part.</summary>
public sealed record CustomerPart(int Index, int Of)
{
    public static CustomerPart? Parse(string? raw)
    {
        if (raw is null)
        {
            return null;
        }
        var pieces = raw.Split('/');
        if (pieces.Length != 2 || !int.TryParse(pieces[0], CultureInfo.InvariantCulture, out var k) || !int.TryParse(pieces[1], CultureInfo.InvariantCulture, out var n) || n < 2 || k < 1 || k > n)
        {
            throw new ArgumentException($"--part takes k/n with 1 <= k <= n and n >= 2, e.g. 1/2 (got '{raw}').");
        }
        return new CustomerPart(k, n);
    }

    /// <summary>By the customer's id in the file (or database): a hash, so neither import order nor id shape decides the split.</summary>
    public bool Contains(string customerKey)
    {
        ArgumentNullException.ThrowIfNull(customerKey);
        // FNV-1a: stable across runs and platforms, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in customerKey)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash % (uint)Of == (uint)(Index - 1);
    }

    public override string ToString() => $"{Index}/{Of}";
}
