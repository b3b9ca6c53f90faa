using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aftercare.Functions.Telemetry;

internal static class TelemetryRegistration
{
    public const string ConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// With a connection string, the isolated worker's Application Insights route (the Worker Service SDK plus
    /// <c>ConfigureFunctionsApplicationInsights</c>, as the official template does): ILogger output, dependencies and the
    /// <see cref="TelemetryClient"/> for custom events and metrics. Without one, a disabled client, so nothing leaves a
    /// developer's machine.
    /// </summary>
    public static IServiceCollection AddAftercareTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[ConnectionStringKey]))
        {
            services.AddApplicationInsightsTelemetryWorkerService();
            services.ConfigureFunctionsApplicationInsights();
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
