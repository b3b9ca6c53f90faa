using Aftercare.Core.Alerts;
using Aftercare.Core.Clinics;
using Aftercare.Core.Conversation;
using Aftercare.Core.Delivery;
using Aftercare.Core.Privacy;
using Aftercare.Core.Security;
using Aftercare.Core.Treatments;
using Aftercare.Storage.Tables;
using Azure.Core;
using Azure.Core.Extensions;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Aftercare.Storage;

/// <summary>
/// Registers Table Storage the Azure SDK way. In the composition root:
/// <code>
/// services.AddOptions&lt;TableStorageOptions&gt;().Bind(configuration.GetSection("Aftercare:Storage"));
/// services.AddAzureClients(clients => clients.AddAftercareTableServiceClient());
/// services.AddSingleton(new PhoneHasher(phoneKey));          // keys of phone-derived rows
/// services.AddSingleton(new SecretCipher(keys, activeKeyId)); // webhook secrets at rest
/// services.AddAftercareTableStorage();
/// </code>
/// </summary>
public static class TableStorageRegistration
{
    /// <summary>
    /// Adds the <see cref="TableServiceClient"/>, built when first resolved from the bound <see cref="TableStorageOptions"/>:
    /// a connection string, or the table endpoint with a managed identity. Its options carry the singleton
    /// <see cref="TableRoundTrips"/> as a per-call policy. Resolving it without either setting throws
    /// <see cref="InvalidOperationException"/>. Retry and diagnostics can be set on the returned builder.
    /// </summary>
    public static IAzureClientBuilder<TableServiceClient, TableClientOptions> AddAftercareTableServiceClient(this AzureClientFactoryBuilder clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        return clients
            .AddClient<TableServiceClient, TableClientOptions>((options, credential, provider) =>
            {
                var storage = provider.GetRequiredService<IOptions<TableStorageOptions>>().Value;
                return storage switch
                {
                    { ConnectionString: { Length: > 0 } connectionString } => new TableServiceClient(connectionString, options),
                    { TableEndpoint: { } endpoint } => new TableServiceClient(endpoint, ManagedIdentity(storage) ?? credential, options),
                    _ => throw new InvalidOperationException(
                        "Table storage is not configured: set its connection string, or its table endpoint for a managed identity."),
                };
            })
            .ConfigureOptions((options, provider) => options.AddPolicy(provider.GetRequiredService<TableRoundTrips>(), HttpPipelinePosition.PerCall));
    }

    /// <summary>
    /// Adds <see cref="TableRoundTrips"/>, <see cref="AftercareTables"/> (named with <see cref="TableStorageOptions.TablePrefix"/>)
    /// and the repositories behind Core's ports. Needs a <see cref="TableServiceClient"/>, e.g. from
    /// <see cref="AddAftercareTableServiceClient"/>, and the <see cref="PhoneHasher"/> and <see cref="SecretCipher"/> the
    /// repositories key and seal personal data with.
    /// </summary>
    public static IServiceCollection AddAftercareTableStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TableRoundTrips>();
        services.AddSingleton(provider => new AftercareTables(
            provider.GetRequiredService<TableServiceClient>(), provider.GetRequiredService<IOptions<TableStorageOptions>>().Value.TablePrefix));
        services.AddSingleton<TableSenderDirectory>();
        services.AddSingleton<ISenderDirectory>(provider => provider.GetRequiredService<TableSenderDirectory>());
        services.AddSingleton<IReplyStore, TableReplyStore>();
        services.AddSingleton<TableClinicStore>();
        services.AddSingleton<IClinicStore>(provider => provider.GetRequiredService<TableClinicStore>());
        services.AddSingleton<ITreatmentStore, TableTreatmentStore>();
        services.AddSingleton<IDueIndex, TableDueIndex>(); // Needs the DispatchOptions the worker registers.
        services.AddSingleton<ITreatmentIndex, TableTreatmentIndex>();
        services.AddSingleton<TableOptOutStore>();
        services.AddSingleton<IOptOutStore>(provider => provider.GetRequiredService<TableOptOutStore>());
        services.AddSingleton<IShardLeases, TableShardLeases>();
        services.AddSingleton<IClientHistory, TableClientHistory>();
        services.AddSingleton<IRetentionIndex, TableRetentionIndex>();
        services.AddSingleton<IAlertOutbox, TableAlertOutbox>();
        services.AddSingleton<LegacyPhoneKeyMigration>();
        services.AddSingleton<SenderIndexRebuild>();
        services.AddSingleton<OptOutHistoryBackfill>();
        return services;
    }

    private static DefaultAzureCredential? ManagedIdentity(TableStorageOptions storage) =>
        storage.ManagedIdentityClientId is { Length: > 0 } clientId
            ? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId })
            : null;
}
