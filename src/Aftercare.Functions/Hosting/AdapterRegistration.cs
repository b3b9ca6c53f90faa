using System.Diagnostics.Metrics;
using Aftercare.Core.Messaging;
using Aftercare.Functions.Http;
using Aftercare.Sms.Console;
using Aftercare.Sms.Twilio;
using Aftercare.Storage;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twilio.Clients;

namespace Aftercare.Functions.Hosting;

/// <summary>Binds Core's ports to the Table Storage and SMS adapters, from configuration.</summary>
internal static class AdapterRegistration
{
    /// <summary>
    /// Table Storage the Azure SDK way (<c>AddAzureClients</c>): a connection string for Azurite, or the table endpoint
    /// with a managed identity in Azure (<c>Aftercare__Storage__…</c>), and the repositories behind Core's ports.
    /// </summary>
    public static IServiceCollection AddAftercareStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TableStorageOptions>().Bind(configuration.GetSection(AftercareOptions.Section + ":Storage"));
        services.AddAzureClients(clients => clients.AddAftercareTableServiceClient());
        return services.AddAftercareTableStorage();
    }

    /// <summary>
    /// Twilio when an account is configured; otherwise texts are printed to the console and recorded as simulated: the
    /// whole text (masked number) in Development only (<c>AZURE_FUNCTIONS_ENVIRONMENT</c> or <c>DOTNET_ENVIRONMENT</c>),
    /// a summary without personal data anywhere else, where the console reaches Application Insights.
    /// </summary>
    public static IServiceCollection AddAftercareSms(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ =>
        {
            var options = configuration.GetSection(AftercareOptions.Section + ":Twilio").Get<TwilioOptions>() ?? new TwilioOptions();
            options.Validate();
            return options;
        });

        // The process's send gate, its meter from the host's IMeterFactory (what the telemetry's MeterListener forwards).
        services.AddMetrics();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<TwilioOptions>();
            return new TwilioSendGate(
                options.MaxSendsPerSecond,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<TwilioResilienceHandler>>(),
                options.Resilience.RetryMaxDelay,
                sp.GetRequiredService<IMeterFactory>());
        });

        // One long-lived SDK client over the resilience handler (its breaker and connection pool live as long as it does).
        services.AddSingleton(sp => TwilioRestClientFactory.Create(
            sp.GetRequiredService<TwilioOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            logger: sp.GetRequiredService<ILogger<TwilioResilienceHandler>>(),
            sendGate: sp.GetRequiredService<TwilioSendGate>()));
        services.AddSingleton<ITwilioRestClient>(sp => sp.GetRequiredService<TwilioRestClient>());
        services.AddSingleton<ISmsSender>(sp => !IsTwilioConfigured(configuration)
            ? new ConsoleSmsSender(Console.Out, sp.GetRequiredService<TimeProvider>(), printTexts: sp.GetRequiredService<IHostEnvironment>().IsDevelopment())
            : ActivatorUtilities.CreateInstance<TwilioSmsSender>(sp));
        services.AddSingleton(sp => new TwilioWebhookVerifier(
            configuration.GetSection(AftercareOptions.Section).Get<AftercareOptions>()?.PublicBaseUrl,
            IsTwilioConfigured(configuration) ? sp.GetRequiredService<TwilioOptions>() : null));
        return services;
    }

    public static bool IsTwilioConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[AftercareOptions.Section + ":Twilio:AccountSid"]);

    /// <summary>Creates the tables if they are missing; run once at start-up.</summary>
    public static Task EnsureStorageAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<AftercareTables>().EnsureCreatedAsync(cancellationToken);
}
