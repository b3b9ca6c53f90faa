using System.Globalization;
using Aftercare.Testing;

namespace Aftercare.LoadHarness;

/// <summary>
/// The app settings every worker of a load run gets (README "Configuration"): storage through the counting proxies,
/// the test privacy keys (the seeder seals the clinic's secret with them), Twilio at the stand-in, and every timer
/// switched off — the harness fires the dispatch timer itself through the host's admin API, so a run starts when it says.
/// </summary>
internal static class LoadEnvironment
{
    public const string AccountSid = "AC00000000000000000000000000000001";

    public static IReadOnlyDictionary<string, string?> Create(string storageConnectionString, string tablePrefix, Uri twilioBaseUri) =>
        new Dictionary<string, string?>(TestKeys.AppSettings, StringComparer.Ordinal)
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["Aftercare__Storage__ConnectionString"] = storageConnectionString,
            ["Aftercare__Storage__TablePrefix"] = tablePrefix,
            ["Aftercare__Twilio__AccountSid"] = AccountSid,
            ["Aftercare__Twilio__AuthToken"] = "load-auth-token",
            ["Aftercare__Twilio__BaseUri"] = twilioBaseUri.ToString(),
            ["Aftercare__Dispatch__Schedule"] = "0 */1 * * * *",
            ["AzureWebJobs.DispatchDueMessages.Disabled"] = "true",
            ["Aftercare__Privacy__RetentionSchedule"] = "0 0 3 * * *",
            ["AzureWebJobs.EraseExpiredClientData.Disabled"] = "true",
            ["Aftercare__Alerts__Schedule"] = "0 */1 * * * *",
            ["AzureWebJobs.DeliverClinicAlerts.Disabled"] = "true",
        };

    public static string TablePrefix() => "load" + Guid.NewGuid().ToString("N")[..8];

    public static string Format(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
