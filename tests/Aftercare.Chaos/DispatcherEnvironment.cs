using System.Globalization;
using Aftercare.Testing;

namespace Aftercare.Chaos;

/// <summary>
/// The app settings every worker gets (README "Configuration"): storage (tables, and the host's queue for the dispatch
/// fan-out), the test privacy keys (the seeder seals the clinic's secret with them), Twilio at the stand-in, the dispatch
/// timer every second (on the first host only: Azure runs one timer per app), and timings shrunk from minutes to seconds
/// so claims and shard leases expire and in-doubt sends are rechecked within the run.
/// </summary>
internal static class DispatcherEnvironment
{
    public static IReadOnlyDictionary<string, string?> Create(
        string storageConnectionString, string queueConnectionString, string tablePrefix, Uri twilioBaseUri, string accountSid) =>
        new Dictionary<string, string?>(TestKeys.AppSettings, StringComparer.Ordinal)
        {
            ["AzureWebJobsStorage"] = queueConnectionString,
            ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.500",
            ["Aftercare__Storage__ConnectionString"] = storageConnectionString,
            ["Aftercare__Storage__TablePrefix"] = tablePrefix,
            ["Aftercare__Twilio__AccountSid"] = accountSid,
            ["Aftercare__Twilio__AuthToken"] = "chaos-auth-token",
            ["Aftercare__Twilio__BaseUri"] = twilioBaseUri.ToString(),
            ["Aftercare__Twilio__RequestTimeout"] = "00:00:02",
            ["Aftercare__Twilio__Resilience__MaxRetryAttempts"] = "2",
            ["Aftercare__Twilio__Resilience__RetryBaseDelay"] = "00:00:00.200",
            ["Aftercare__Twilio__Resilience__RetryMaxDelay"] = "00:00:01",
            ["Aftercare__Twilio__Resilience__BreakerBreakDuration"] = "00:00:02",
            ["Aftercare__Dispatch__Schedule"] = "* * * * * *",
            ["Aftercare__Dispatch__LeaseSeconds"] = "10",
            ["Aftercare__Dispatch__ShardLeaseSeconds"] = "3",
            ["Aftercare__Dispatch__DrainSeconds"] = "20",
            ["Aftercare__Dispatch__InDoubtRecheckSeconds"] = "2",
            ["Aftercare__Dispatch__MinimumRetryDelaySeconds"] = "1",

            // The retention and alert timers have nothing to do in a run about delivery: scheduled as in Azure, and switched off.
            ["Aftercare__Privacy__RetentionSchedule"] = "0 0 3 * * *",
            ["AzureWebJobs.EraseExpiredClientData.Disabled"] = "true",
            ["Aftercare__Alerts__Schedule"] = "0 */1 * * * *",
            ["AzureWebJobs.DeliverClinicAlerts.Disabled"] = "true",
        };

    /// <summary>A well-formed, made-up account SID: "AC" and 32 hex digits, the same for the same seed.</summary>
    public static string AccountSid(int seed)
    {
        var bytes = new byte[16];
        new Random(seed).NextBytes(bytes);
        return "AC" + Convert.ToHexStringLower(bytes);
    }

    public static string TablePrefix(int seed) =>
        "chaos" + ((uint)seed).ToString("x8", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6];
}
