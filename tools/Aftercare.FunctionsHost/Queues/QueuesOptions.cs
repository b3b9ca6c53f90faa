using System.Globalization;
using System.Text.Json;
using Aftercare.FunctionsHost.App;
using Azure.Storage.Queues;

namespace Aftercare.FunctionsHost.Queues;

/// <summary>
/// <c>host.json</c> <c>extensions.queues</c>, with the real defaults of Microsoft.Azure.WebJobs.Extensions.Storage.Queues'
/// QueuesOptions: <c>batchSize</c> 16 (1–32), <c>newBatchThreshold</c> (batchSize / 2) × processor count,
/// <c>maxPollingInterval</c> 1 min (at least 100 ms), <c>visibilityTimeout</c> 0, <c>maxDequeueCount</c> 5,
/// <c>messageEncoding</c> base64. An app setting <c>AzureFunctionsJobHost__extensions__queues__&lt;name&gt;</c> overrides the
/// file, as the real host's configuration does (https://learn.microsoft.com/azure/azure-functions/functions-host-json#override-hostjson-values).
/// Times are TimeSpan text (<c>"00:00:02"</c>), as the configuration binder reads them.
/// </summary>
internal sealed record QueuesOptions(
    int BatchSize, int NewBatchThreshold, TimeSpan MaxPollingInterval, TimeSpan VisibilityTimeout, int MaxDequeueCount, QueueMessageEncoding MessageEncoding)
{
    /// <summary>The shortest pause between polls of an empty queue (QueuePollingIntervals.Minimum).</summary>
    public static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    private const string OverridePrefix = "AzureFunctionsJobHost__extensions__queues__";

    /// <exception cref="InvalidOperationException">A value is out of range or not readable.</exception>
    public static QueuesOptions Read(string appDirectory, AppSettings settings)
    {
        JsonElement? queues = null;
        var path = Path.Combine(appDirectory, HostJson.FileName);
        using var document = File.Exists(path) ? JsonFile.Parse(path) : null;
        if (document is not null
            && JsonFile.TryGetProperty(document.RootElement, "extensions", out var extensions)
            && JsonFile.TryGetProperty(extensions, "queues", out var section))
        {
            queues = section;
        }

        string? Value(string name)
        {
            if (settings[OverridePrefix + name] is { } overridden)
            {
                return overridden;
            }

            return queues is { } q && JsonFile.TryGetProperty(q, name, out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;
        }

        var batchSize = Int(Value("batchSize"), "batchSize") ?? 16;
        if (batchSize is < 1 or > 32)
        {
            throw new InvalidOperationException($"extensions.queues.batchSize must be 1 to 32, not {batchSize}.");
        }

        var threshold = Int(Value("newBatchThreshold"), "newBatchThreshold") ?? -1;
        var maxPolling = Time(Value("maxPollingInterval"), "maxPollingInterval") ?? TimeSpan.FromMinutes(1);
        if (maxPolling < MinimumPollingInterval)
        {
            throw new InvalidOperationException($"extensions.queues.maxPollingInterval must not be less than {MinimumPollingInterval}.");
        }

        var maxDequeueCount = Int(Value("maxDequeueCount"), "maxDequeueCount") ?? 5;
        if (maxDequeueCount < 1)
        {
            throw new InvalidOperationException("extensions.queues.maxDequeueCount must not be less than 1.");
        }

        var encoding = Value("messageEncoding") switch
        {
            null => QueueMessageEncoding.Base64,
            var text when Enum.TryParse<QueueMessageEncoding>(text, ignoreCase: true, out var parsed) => parsed,
            var text => throw new InvalidOperationException($"extensions.queues.messageEncoding '{text}' is neither 'base64' nor 'none'."),
        };

        return new QueuesOptions(
            batchSize,
            threshold >= 0 ? threshold : batchSize / 2 * Environment.ProcessorCount,
            maxPolling,
            Time(Value("visibilityTimeout"), "visibilityTimeout") ?? TimeSpan.Zero,
            maxDequeueCount,
            encoding);
    }

    private static int? Int(string? text, string name) =>
        text is null ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InvalidOperationException($"extensions.queues.{name} '{text}' is not a whole number.");

    private static TimeSpan? Time(string? text, string name) =>
        text is null ? null
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InvalidOperationException($"extensions.queues.{name} '{text}' is not a TimeSpan (hh:mm:ss).");
}
