using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClaimsOffice.Database.Tests;

public sealed class DatabaseOptionsTests
{
    private const string Postgres = "Host=db.internal;Port=5432;Username=claims;Password=secret;Database=claims";

    [Fact]
    public void A_postgres_connection_prepares_repeated_statements_and_skips_the_reset_between_pooled_uses()
    {
        var options = new DatabaseOptions(DatabaseProvider.Postgres, Postgres);

        var built = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Assert.Equal(64, built.MaxAutoPrepare);
        Assert.Equal(2, built.AutoPrepareMinUsages);
        Assert.True(built.NoResetOnClose);
        Assert.Equal("db.internal", built.Host);
        Assert.Equal("secret", built.Password);
    }

    [Theory]
    [InlineData("Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("MaxAutoPrepare=0;NoResetOnClose=false")]
    public void An_operator_who_turns_prepared_statements_off_is_obeyed(string setting)
    {
        var options = new DatabaseOptions(DatabaseProvider.Postgres, $"{Postgres};{setting}");

        var built = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Assert.Equal(0, built.MaxAutoPrepare);
        Assert.False(built.NoResetOnClose);
    }

    [Fact]
    public void A_sqlite_connection_is_pooled_and_waits_for_the_write_lock()
    {
        var options = new DatabaseOptions(DatabaseProvider.Sqlite, "Data Source=claims.db");

        var built = new SqliteConnectionStringBuilder(options.ConnectionString);
        Assert.Equal("claims.db", built.DataSource);
        Assert.True(built.Pooling);
        Assert.Equal(30, built.DefaultTimeout);
    }

    [Fact]
    public void A_sqlite_setting_given_in_the_connection_string_is_kept()
    {
        var options = new DatabaseOptions(DatabaseProvider.Sqlite, "Data Source=claims.db;Default Timeout=5;Pooling=False");

        var built = new SqliteConnectionStringBuilder(options.ConnectionString);
        Assert.Equal(5, built.DefaultTimeout);
        Assert.False(built.Pooling);
    }

    [Fact]
    public void An_empty_connection_string_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => new DatabaseOptions(DatabaseProvider.Postgres, " "));
    }

    [Fact]
    public void A_postgres_pool_is_bounded_by_the_budget_and_names_its_process()
    {
        var byDefault = new NpgsqlConnectionStringBuilder(new DatabaseOptions(DatabaseProvider.Postgres, Postgres).ConnectionString);
        var configured = new DatabaseOptions(DatabaseProvider.Postgres, Postgres, MaxPoolSize: 6, ApplicationName: "ClaimsPortal");
        var built = new NpgsqlConnectionStringBuilder(configured.ConnectionString);

        Assert.Equal(DatabaseOptions.DefaultMaxPoolSize, byDefault.MaxPoolSize);
        Assert.Equal(16, DatabaseOptions.DefaultMaxPoolSize);
        Assert.False(string.IsNullOrWhiteSpace(byDefault.ApplicationName));
        Assert.Equal(6, built.MaxPoolSize);
        Assert.Equal(6, configured.EffectiveMaxPoolSize);
        Assert.Equal("ClaimsPortal", built.ApplicationName);
    }

    [Theory]
    [InlineData("Maximum Pool Size=40;Application Name=ops")]
    [InlineData("MaxPoolSize=40;ApplicationName=ops")]
    public void A_pool_size_and_name_in_the_connection_string_win(string setting)
    {
        var options = new DatabaseOptions(DatabaseProvider.Postgres, $"{Postgres};{setting}", MaxPoolSize: 6, ApplicationName: "ClaimsPortal");

        var built = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Assert.Equal(40, built.MaxPoolSize);
        Assert.Equal(40, options.EffectiveMaxPoolSize);
        Assert.Equal("ops", built.ApplicationName);
    }

    [Fact]
    public void A_pool_of_no_connections_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DatabaseOptions(DatabaseProvider.Postgres, Postgres, MaxPoolSize: 0));

        Assert.Contains("Database:MaxPoolSize must be at least 1", error.Message, StringComparison.Ordinal);
    }
}
