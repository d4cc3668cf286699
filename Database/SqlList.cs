using System.Globalization;
using Dapper;

namespace ClaimsOffice.Database;

/// <summary>
/// Spells out an IN list as one parameter per value, the same on both databases (Dapper's list expansion
/// of <c>IN @values</c> is not portable to Npgsql). An empty list matches nothing.
/// </summary>
public static class SqlList
{
    public static string In(DynamicParameters parameters, string prefix, IEnumerable<long> values) =>
        In(parameters, prefix, values.Select(v => (object)v));

    public static string In(DynamicParameters parameters, string prefix, IEnumerable<string> values) =>
        In(parameters, prefix, values.Select(v => (object)v));

    private static string In(DynamicParameters parameters, string prefix, IEnumerable<object> values)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(values);
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}{names.Count}");
            parameters.Add(name, value);
            names.Add("@" + name);
        }
        return names.Count == 0 ? "(NULL)" : "(" + string.Join(", ", names) + ")";
    }
}
