using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;

namespace Aftercare.Functions.Telemetry;

internal static class TelemetryRegistration
{
    public const string ConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// A TelemetryClient for custom events and metrics, and ILogger output to Application Insights, when a connection
    /// string is set; without one the client is a no-op, so nothing leaves a developer's machine.
    /// </summary>
    public static IServiceCollection AddApplicationInsightsTelemetryClient(this IServiceCollection services, IConfiguration configuration, ILoggingBuilder logging)
    {
        var connectionString = configuration[ConnectionStringKey];
        services.AddSingleton(_ =>
        {
            var config = TelemetryConfiguration.CreateDefault();
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                config.DisableTelemetry = true;
            }
            else
            {
                config.ConnectionString = connectionString;
            }

            return config;
        });
        services.AddSingleton(sp => new TelemetryClient(sp.GetRequiredService<TelemetryConfiguration>()));

        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            logging.AddApplicationInsights(
                telemetry => telemetry.ConnectionString = connectionString,
                _ => { });
        }

        return services;
    }
}
