using Aftercare.Core.Alerts;
using Aftercare.Core.Clinics;
using Aftercare.Functions.Alerts;
using Aftercare.Functions.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Aftercare.Functions.Hosting;

/// <summary>Clinic alerts: the delivery sweep, the HTTP sender behind the SSRF guard, and their telemetry.</summary>
internal static class AlertRegistration
{
    /// <summary>The typed client's name; its handler is <see cref="AlertConnections.CreateHandler"/>.</summary>
    public const string HttpClientName = "aftercare-alerts";

    /// <summary>Settings are read from the bound <see cref="AftercareOptions"/> when first resolved, not at registration.</summary>
    public static IServiceCollection AddAftercareAlerts(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var settings = Settings(sp);
            return new AlertDeliveryOptions
            {
                BatchSize = settings.BatchSize,
                MaxParallelism = settings.MaxParallelism,
                Lease = Duration.FromSeconds(settings.LeaseSeconds),
                RetryFor = Duration.FromHours(settings.RetryHours),
            };
        });
        services.AddSingleton(sp => new AlertSenderOptions { AllowPrivateNetworks = Settings(sp).AllowPrivateNetworks });
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => AlertConnections.CreateHandler(sp.GetRequiredService<AlertSenderOptions>().AllowPrivateNetworks))
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan); // The Polly pipeline times each try.
        services.AddSingleton<IAlertSender>(sp => new HttpAlertSender(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<AlertSenderOptions>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAlertEvents, AlertTelemetry>();
        services.AddSingleton(sp => new AlertDelivery(
            sp.GetRequiredService<IAlertOutbox>(),
            sp.GetRequiredService<IClinicStore>(),
            sp.GetRequiredService<IAlertSender>(),
            sp.GetRequiredService<IAlertEvents>(),
            sp.GetRequiredService<AlertDeliveryOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            Random.Shared));
        return services;
    }

    private static AlertSettings Settings(IServiceProvider services) =>
        services.GetRequiredService<IOptions<AftercareOptions>>().Value.Alerts;
}
