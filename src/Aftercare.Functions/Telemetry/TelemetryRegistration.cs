using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aftercare.Functions.Telemetry;

internal static class TelemetryRegistration
{
    public const string ConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    private const string ApplicationInsightsLoggerProviderName = "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    /// <summary>
    /// With a connection string, the isolated worker's Application Insights route (the Worker Service SDK plus
    /// <c>ConfigureFunctionsApplicationInsights</c>, as the official template does): ILogger output, dependencies (HttpClient,
    /// so Twilio, and the Azure SDK's diagnostic scopes, so Table Storage), the worker's invocation activity and the
    /// <see cref="TelemetryClient"/> for custom events and metrics, the app's own meters forwarded to it
    /// (<see cref="MeterForwarder"/>); every item with the cloud role name <c>aftercare</c>, metrics without an operation. Without one, a disabled client, so nothing leaves a developer's
    /// machine.
    /// </summary>
    public static IServiceCollection AddAftercareTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[ConnectionStringKey]))
        {
            services.AddApplicationInsightsTelemetryWorkerService();
            services.ConfigureFunctionsApplicationInsights();
            services.AddSingleton<ITelemetryInitializer, CloudRoleInitializer>();
            services.AddSingleton<ITelemetryInitializer, AggregatedMetricInitializer>();
            services.AddMetrics();
            services.AddHostedService<MeterForwarder>();

            // The Application Insights logger provider adds a rule that keeps only warnings and errors. Without it, the
            // levels the app configures for its own categories apply (Information), so an operator sees what each
            // invocation did: those lines carry ids and counts only (the PII scan test checks them).
            services.Configure<LoggerFilterOptions>(options =>
            {
                if (options.Rules.FirstOrDefault(rule => rule.ProviderName == ApplicationInsightsLoggerProviderName) is { } warningsOnly)
                {
                    options.Rules.Remove(warningsOnly);
                }
            });
            return services;
        }

        services.AddSingleton(_ =>
        {
            var disabled = TelemetryConfiguration.CreateDefault();
            disabled.DisableTelemetry = true;
            return disabled;
        });
        services.AddSingleton(sp => new TelemetryClient(sp.GetRequiredService<TelemetryConfiguration>()));
        return services;
    }
}
