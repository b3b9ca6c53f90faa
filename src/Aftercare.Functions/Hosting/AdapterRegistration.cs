using Aftercare.Core.Clinics;
using Aftercare.Core.Delivery;
using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using Aftercare.Functions.Http;
using Aftercare.Sms.Console;
using Aftercare.Sms.Twilio;
using Aftercare.Storage;
using Aftercare.Storage.Tables;
using Azure.Identity;
using Twilio.Clients;

namespace Aftercare.Functions.Hosting;

/// <summary>Binds Core's ports to the Table Storage and SMS adapters, from configuration.</summary>
internal static class AdapterRegistration
{
    public static IServiceCollection AddAftercareStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp =>
        {
            var settings = configuration.GetSection(AftercareOptions.Section).Get<AftercareOptions>()?.Storage ?? new StorageSettings();
            var service = settings switch
            {
                { ConnectionString: { Length: > 0 } connectionString } => new TableServiceClient(connectionString),
                { TableEndpoint: { } endpoint } => new TableServiceClient(
                    endpoint,
                    new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = settings.ManagedIdentityClientId })),
                _ => throw new InvalidOperationException(
                    "Table storage is not configured: set Aftercare__Storage__ConnectionString, or Aftercare__Storage__TableEndpoint for managed identity."),
            };
            return new AftercareTables(service, settings.TablePrefix);
        });
        services.AddSingleton<IClinicStore, TableClinicStore>();
        services.AddSingleton<ITreatmentStore, TableTreatmentStore>();
        services.AddSingleton<IDueIndex, TableDueIndex>();
        services.AddSingleton<IOptOutStore, TableOptOutStore>();
        services.AddSingleton<IClientHistory, TableClientHistory>();
        return services;
    }

    /// <summary>Twilio when an account is configured; otherwise texts are printed to the console (masked number, full text).</summary>
    public static IServiceCollection AddAftercareSms(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ =>
        {
            var options = configuration.GetSection(AftercareOptions.Section + ":Twilio").Get<TwilioOptions>() ?? new TwilioOptions();
            options.Validate();
            return options;
        });

        // One long-lived SDK client over the resilience handler (its breaker and connection pool live as long as it does).
        services.AddSingleton(sp => TwilioRestClientFactory.Create(
            sp.GetRequiredService<TwilioOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            logger: sp.GetRequiredService<ILogger<TwilioResilienceHandler>>()));
        services.AddSingleton<ITwilioRestClient>(sp => sp.GetRequiredService<TwilioRestClient>());
        services.AddSingleton<ISmsSender>(sp => !IsTwilioConfigured(configuration)
            ? new ConsoleSmsSender(Console.Out, sp.GetRequiredService<TimeProvider>())
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
