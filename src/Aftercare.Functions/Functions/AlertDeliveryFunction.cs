using Aftercare.Core.Alerts;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.Functions.Functions;

/// <summary>
/// The alert timer: posts due clinic alerts from the outbox. Its schedule is the app setting
/// <c>Aftercare__Alerts__Schedule</c> (six-field NCrontab, UTC; every minute is <c>0 */1 * * * *</c>, which keeps an
/// urgent alert within about a minute). The outbox's ETag claims keep each post single even when sweeps overlap.
/// </summary>
internal sealed class AlertDeliveryFunction(AlertDelivery delivery, ILogger<AlertDeliveryFunction> logger)
{
    public const string Name = "DeliverClinicAlerts";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%Aftercare:Alerts:Schedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (timer?.IsPastDue == true)
        {
            logger.LogInformation("The alert timer is running late");
        }

        await delivery.DeliverDueAsync(cancellationToken);
    }
}
