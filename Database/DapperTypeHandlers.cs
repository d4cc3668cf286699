using System.Data;
using System.Globalization;
using Dapper;

namespace ClaimsOffice.Database;

/// <summary>How SQLite stores a time: fixed-width UTC ISO-8601 text, so text order is time order.</summary>
public static class SqliteTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}

/// <summary>
/// Times are stored as UTC. SQLite keeps them as ISO-8601 text, PostgreSQL as timestamptz;
/// these handlers make both read back as <see cref="DateTimeOffset"/> in UTC.
/// </summary>
internal static class DapperTypeHandlers
{
    /// <summary>Called once, from <see cref="DbConnectionFactory"/>'s static constructor.</summary>
    public static void Register()
    {
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is Microsoft.Data.Sqlite.SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = SqliteTime.ToText(value);
            }
            else
            {
                parameter.DbType = DbType.DateTimeOffset;
                parameter.Value = value.ToUniversalTime();
            }
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset dto => dto.ToUniversalTime(),
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as a time."),
        };
    }
}
