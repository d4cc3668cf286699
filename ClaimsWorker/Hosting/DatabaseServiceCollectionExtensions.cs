using System.Globalization;
using ClaimsOffice.Database;
using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Audit;
using ClaimsOffice.Database.Claims;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Ledger;
using ClaimsOffice.Database.Migrations;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Database.Payouts;
using ClaimsOffice.Database.SignIn;
using ClaimsOffice.Database.Transactions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Worker.Hosting;

public static class DatabaseServiceCollectionExtensions
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringName = "Claims";
    public const string MaxPoolSizeKey = "Database:MaxPoolSize";
    public const string ApplicationNameKey = "Database:ApplicationName";

    /// <summary>
    /// Reads <c>Database:Provider</c>, <c>ConnectionStrings:Claims</c>, <c>Database:MaxPoolSize</c> (default 16) and
    /// <c>Database:ApplicationName</c> (default: the process's name); a clear error when one is missing or wrong.
    /// </summary>
    public static DatabaseOptions ReadDatabaseOptions(this IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = DatabaseOptions.ParseProvider(configuration[ProviderKey]);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"Set ConnectionStrings:{ConnectionStringName} (environment variable ConnectionStrings__{ConnectionStringName}).");
        }
        var maxPoolSize = DatabaseOptions.DefaultMaxPoolSize;
        if (configuration[MaxPoolSizeKey] is { Length: > 0 } configured
            && (!int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out maxPoolSize) || maxPoolSize < 1))
        {
            throw new InvalidOperationException($"{MaxPoolSizeKey} must be a whole number of connections, at least 1 (it is '{configured}').");
        }
        return new DatabaseOptions(provider, connectionString, maxPoolSize, configuration[ApplicationNameKey]);
    }

    public static IServiceCollection AddClaimsDatabase(this IServiceCollection services, DatabaseOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<IDbConnectionFactory, DbConnectionFactory>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<CustomerRepository>();
        services.AddSingleton<TransactionRepository>();
        services.AddSingleton<ClaimRepository>();
        services.AddSingleton<AssessmentRepository>();
        services.AddSingleton<LedgerRepository>();
        services.AddSingleton<PayoutRepository>();
        services.AddSingleton<OutboxRepository>();
        services.AddSingleton<InboxRepository>();
        services.AddSingleton<DevMailboxRepository>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<SignInCodeRepository>();
        return services;
    }
}
