using ClaimsOffice.Database;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.Worker.Assessment;
using ClaimsOffice.Worker.Audit;
using ClaimsOffice.Worker.Assessment.RuleSets;
using ClaimsOffice.Worker.Intake;
using ClaimsOffice.Worker.Jobs;
using ClaimsOffice.Worker.Notifications;
using ClaimsOffice.Worker.Payouts;
using ClaimsOffice.Worker.Review;
using ClaimsOffice.Worker.SignIn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Worker.Hosting;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// The whole engine: database, intake, assessment, payouts, notifications, sign-in, and the Hangfire
    /// jobs. With <c>Worker:InProcess</c> true this process also runs the jobs.
    /// </summary>
    public static IServiceCollection AddClaimsWorker(this IServiceCollection services, IConfiguration configuration, DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.Section));
        services.AddOptions<ReviewOptions>().Bind(configuration.GetSection(ReviewOptions.Section));
        var worker = new WorkerOptions();
        configuration.GetSection(WorkerOptions.Section).Bind(worker);

        services.AddClaimsDatabase(database);
        services.AddClaimsEngine(worker);
        services.AddClaimsJobs(database, worker);
        var health = services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<JobsHealthCheck>("jobs");
        if (database.Provider == DatabaseProvider.Postgres)
        {
            // PostgreSQL seals audit entries after commit (ADR 0010); SQLite seals them in the writing transaction.
            services.AddSingleton<AuditSealingLoop>();
            services.AddHostedService(sp => sp.GetRequiredService<AuditSealingLoop>());
            health.AddCheck<AuditChainHealthCheck>("audit");
        }
        return services;
    }

    public static IServiceCollection AddClaimsEngine(this IServiceCollection services, WorkerOptions worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(RuleSet.Default);
        services.AddSingleton<ActiveRuleSet>();
        services.AddSingleton<IRuleSetSource>(sp => sp.GetRequiredService<ActiveRuleSet>());
        services.AddSingleton<ClaimIntake>();
        services.AddSingleton<AssessmentContextLoader>();
        services.AddSingleton<CategoryBaseline>();
        services.AddSingleton<AssessmentService>();
        services.AddSingleton<PayoutService>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<VictimSignInService>();
        services.AddClaimsReview();

        services.AddSingleton<INotificationChannel, InAppInboxChannel>();
        if (worker.UseDevelopmentMailbox)
        {
            foreach (var channel in new[] { NotificationChannels.Sms, NotificationChannels.Email })
            {
                services.AddSingleton<INotificationChannel>(sp => new DevelopmentMailboxChannel(channel,
                    sp.GetRequiredService<DevMailboxRepository>(), sp.GetRequiredService<TimeProvider>()));
            }
        }
        return services;
    }

}
