using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.Extensibility;

namespace Aftercare.Functions.Telemetry;

/// <summary>
/// Names every item's cloud role <see cref="RoleName"/>, so the application map, alert rules and the workbook find the
/// app by one stable name whatever the Function App is called (the worker's own initializer otherwise uses the site or
/// slot name). Registered after <c>ConfigureFunctionsApplicationInsights</c>, so it runs after that one.
/// </summary>
internal sealed class CloudRoleInitializer : ITelemetryInitializer
{
    /// <summary>The <c>cloud_RoleName</c> of everything the worker sends.</summary>
    public const string RoleName = "aftercare";

    public void Initialize(ITelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        telemetry.Context.Cloud.RoleName = RoleName;
    }
}
