using Aftercare.Core.Clinics;
using Aftercare.Core.Conversation;
using Aftercare.Core.Delivery;
using Aftercare.Core.Messaging;
using Aftercare.Core.Plans;
using Aftercare.Core.Privacy;
using Aftercare.Core.Replies;
using Aftercare.Core.Security;
using Aftercare.Core.Treatments;
using Aftercare.Functions.Clinics;
using Aftercare.Functions.Http;
using Aftercare.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Azure.Functions.Worker.Invocation;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Aftercare.Functions.Hosting;

/// <summary>
/// The composition root: one place that builds the isolated worker, for <c>Program</c> and for tests that host the
/// worker in their own process (to move the clock or swap a service) and attach it to the local Functions host.
/// </summary>
public static class AftercareWorker
{
    /// <summary>
    /// A Functions application builder with the ASP.NET Core integration and every Aftercare service registered.
    /// <paramref name="args"/> are the worker's command line (the host passes <c>--functions-uri</c> and friends).
    /// </summary>
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<ProblemOnExceptionMiddleware>();

        // The Sdk registers its generated function metadata provider and executor for the entry assembly only. Registered
        // here as well, the worker also runs when a test process is the entry assembly (an attached in-process worker).
        builder.Services.AddSingleton<IFunctionMetadataProvider, GeneratedFunctionMetadataProvider>();
        builder.Services.AddSingleton<IFunctionExecutor, DirectFunctionExecutor>();
        builder.Services.AddAftercare(builder.Configuration);

        // The Azure SDK and ASP.NET Core log every request at Information, URLs and query strings included (table keys,
        // the host's `code=` key), and the SDK every 404/409/412 at Warning, which are outcomes here (a lost claim, an
        // absent row), not faults: only what they call errors.
        builder.Logging.AddFilter("Azure.Core", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// Builds the worker and checks, before it takes any invocation, that the privacy keys are sound, the plans and triage
    /// rules load, the storage and SMS settings are sound and the tables exist: a bad deployment stops at start-up, not on
    /// the first text. The checks run side by side on the thread pool (plans, triage rules, the SMS client, the tables),
    /// so start-up takes the longest of them rather than their sum; the Twilio SDK's warm-up runs in the background
    /// (<see cref="Sms.Twilio.TwilioRestClientFactory"/>). With <c>AFTERCARE_STARTUP_TIMING=1</c> it prints how long each took (<see cref="StartupTiming"/>).
    /// </summary>
    /// <exception cref="PlanValidationException">A plan file is broken (the message names the file and field).</exception>
    /// <exception cref="TriageRuleValidationException">A triage rule file is broken (the message names the file and field).</exception>
    /// <exception cref="InvalidOperationException">A privacy key, storage or Twilio is not configured correctly (the message names the setting, never its value).</exception>
    public static async Task<IHost> BuildAsync(FunctionsApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var timing = StartupTiming.FromEnvironment();
        var host = builder.Build();
        timing.Step("build");

        host.Services.GetRequiredService<PhoneHasher>();
        host.Services.GetRequiredService<SecretCipher>();
        host.Services.GetRequiredService<RetentionOptions>();
        timing.Step("privacy keys");

        // The other checks side by side: each resolves its own singletons (the container is thread-safe). Awaited in this
        // order, so a broken plan or triage file is the error reported even when storage fails too; on an error the rest
        // are left to finish on their own, since the process is about to stop.
        var plans = Task.Run(() => host.Services.GetRequiredService<IPlanCatalog>(), cancellationToken);
        var triage = Task.Run(() => host.Services.GetRequiredService<ReplyTriage>(), cancellationToken);
        var sms = Task.Run(() => host.Services.GetRequiredService<ISmsSender>(), cancellationToken);
        var tables = Task.Run(() => host.Services.EnsureStorageAsync(cancellationToken), cancellationToken);
        await plans;
        timing.Step("plans");
        await triage;
        timing.Step("triage");
        await sms;
        timing.Step("sms sender");
        await tables;
        timing.Step("tables");
        timing.Report();
        return host;
    }

    internal static IServiceCollection AddAftercare(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AftercareOptions>(configuration.GetSection(AftercareOptions.Section));
        services.AddProblemDetails();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IPlanCatalog>(_ => PlanFiles.Load(PlanFiles.DefaultDirectory));
        services.AddSingleton(sp => ToDispatchOptions(sp.GetRequiredService<IOptions<AftercareOptions>>().Value));
        services.AddAftercareTelemetry(configuration);
        services.AddSingleton<IDeliveryEvents, DeliveryTelemetry>();
        services.AddAftercarePrivacy(configuration);
        services.AddAftercareStorage(configuration);
        services.AddAftercareSms(configuration);
        services.AddSingleton<TreatmentRegistrar>();
        services.AddSingleton<TreatmentCanceller>();
        services.AddSingleton<MessageDispatcher>();
        services.AddSingleton<ShardDrain>();
        services.AddSingleton<DispatchFanOut>();
        services.AddSingleton<StatusCallbacks>();
        services.AddAftercareAlerts();
        services.AddMemoryCache();
        services.AddSingleton(sp => new CachedClinicStore(
            sp.GetRequiredService<IClinicStore>(),
            sp.GetRequiredService<IMemoryCache>(),
            TimeSpan.FromSeconds(Math.Clamp(sp.GetRequiredService<IOptions<AftercareOptions>>().Value.Clinics.CacheSeconds, 0, 300))));
        services.AddSingleton<ClinicRequestAuthenticator>();
        services.AddSingleton(sp => new InboundOptions { TwilioAnswersHelp = sp.GetRequiredService<IOptions<AftercareOptions>>().Value.Inbound.TwilioAnswersHelp });
        services.AddSingleton(_ => TriageRuleFiles.Load(TriageRuleFiles.DefaultDirectory));
        services.AddSingleton<ReplyRouting>();
        services.AddSingleton<ClientOptOuts>();
        services.AddSingleton<InboundReplies>();
        services.AddSingleton<Treatments.ReplyTimeline>();
        services.AddSingleton<ReplyTelemetry>();
        services.AddSingleton<TreatmentTelemetry>();
        return services;
    }

    private static DispatchOptions ToDispatchOptions(AftercareOptions settings) => new()
    {
        Shards = settings.Dispatch.Shards,
        DrainTime = Duration.FromSeconds(settings.Dispatch.DrainSeconds),
        ShardLeaseTime = Duration.FromSeconds(settings.Dispatch.ShardLeaseSeconds),
        BatchSize = settings.Dispatch.BatchSize,
        MaxParallelism = settings.Dispatch.MaxParallelism,
        Lease = Duration.FromSeconds(settings.Dispatch.LeaseSeconds),
        InDoubtRecheck = Duration.FromSeconds(settings.Dispatch.InDoubtRecheckSeconds),
        MinimumRetryDelay = Duration.FromSeconds(settings.Dispatch.MinimumRetryDelaySeconds),
        OrphanGrace = Duration.FromSeconds(settings.Dispatch.OrphanGraceSeconds),
        StatusCallbackUrl = settings.PublicBaseUrl is { } url ? new Uri(url, "/api/twilio/status") : null,
    };
}
