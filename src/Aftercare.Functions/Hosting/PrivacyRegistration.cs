using Aftercare.Core.Privacy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aftercare.Functions.Hosting;

/// <summary>The keys for personal data at rest, and erasure and retention, from the "Aftercare:Privacy" section.</summary>
internal static class PrivacyRegistration
{
    /// <summary>
    /// Adds the <see cref="Core.Security.PhoneHasher"/> and <see cref="Core.Security.SecretCipher"/> the repositories
    /// need, checked when first resolved (<see cref="AftercareWorker.BuildAsync"/> resolves them before anything else),
    /// and the erasure and retention services.
    /// </summary>
    public static IServiceCollection AddAftercarePrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => Settings(configuration));
        services.AddSingleton(sp => sp.GetRequiredService<PrivacySettings>().CreatePhoneHasher());
        services.AddSingleton(sp => sp.GetRequiredService<PrivacySettings>().CreateSecretCipher());
        services.AddSingleton(sp => sp.GetRequiredService<PrivacySettings>().CreateRetentionOptions());
        services.AddSingleton<TreatmentEraser>();
        services.AddSingleton<ClientErasure>();
        services.AddSingleton<RetentionSweep>();
        return services;
    }

    private static PrivacySettings Settings(IConfiguration configuration) =>
        configuration.GetSection(AftercareOptions.Section + ":Privacy").Get<PrivacySettings>() ?? new PrivacySettings();
}
