using Aftercare.Core.Delivery;
using Aftercare.Core.Messaging;
using Aftercare.Core.Plans;
using Aftercare.Core.Treatments;
using Aftercare.Functions.Endpoints;
using Aftercare.Functions.Http;
using Aftercare.Functions.Telemetry;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Aftercare.Functions.Hosting;

/// <summary>The composition root: one place that builds the handler, for Program, for the Functions host and for tests.</summary>
public static class AftercareApplication
{
    /// <summary>Set by the Functions host on a custom handler: the port it will call us on.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (IsUnderFunctionsHost(builder.Configuration))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{builder.Configuration[CustomHandlerPortVariable]}");
        }

        var services = builder.Services;
        var section = builder.Configuration.GetSection(AftercareOptions.Section);
        services.Configure<AftercareOptions>(section);
        services.AddProblemDetails();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IPlanCatalog>(_ => PlanFiles.Load(PlanFiles.DefaultDirectory));
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<AftercareOptions>>().Value;
            return new DispatchOptions
            {
                BatchSize = settings.Dispatch.BatchSize,
                MaxParallelism = settings.Dispatch.MaxParallelism,
                Lease = Duration.FromSeconds(settings.Dispatch.LeaseSeconds),
                InDoubtRecheck = Duration.FromSeconds(settings.Dispatch.InDoubtRecheckSeconds),
                MinimumRetryDelay = Duration.FromSeconds(settings.Dispatch.MinimumRetryDelaySeconds),
                OrphanGrace = Duration.FromSeconds(settings.Dispatch.OrphanGraceSeconds),
                StatusCallbackUrl = settings.PublicBaseUrl is { } url ? new Uri(url, "/api/twilio/status") : null,
            };
        });
        services.AddApplicationInsightsTelemetryClient(builder.Configuration, builder.Logging);
        services.AddSingleton<IDeliveryEvents, DeliveryTelemetry>();
        services.AddAftercareStorage(builder.Configuration);
        services.AddAftercareSms(builder.Configuration);
        services.AddSingleton<TreatmentRegistrar>();
        services.AddSingleton<TreatmentCanceller>();
        services.AddSingleton<MessageDispatcher>();
        services.AddSingleton<ClinicSignatureFilter>();
        services.AddHostedService<InProcessDispatchScheduler>();

        return builder;
    }

    /// <summary>True when the Functions host started this process (it then fires the timer function itself).</summary>
    public static bool IsUnderFunctionsHost(IConfiguration configuration) => configuration[CustomHandlerPortVariable] is { Length: > 0 };

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();

        // Fail at start-up, not on the first request, when a plan file, the storage or the Twilio settings are wrong.
        app.Services.GetRequiredService<IPlanCatalog>();
        app.Services.GetRequiredService<ITreatmentStore>();
        app.Services.GetRequiredService<ISmsSender>();

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthEndpoints();
        app.MapClinicAdminEndpoints();
        app.MapTreatmentEndpoints();
        app.MapPlanEndpoints();
        app.MapTwilioStatusEndpoints();
        app.MapDispatchEndpoints();
        return app;
    }
}
