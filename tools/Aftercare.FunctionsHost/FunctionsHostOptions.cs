using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost;

/// <summary>How a <see cref="FunctionsHost"/> runs. Only <see cref="AppDirectory"/> is required.</summary>
public sealed class FunctionsHostOptions
{
    /// <summary>Environment variable read for <see cref="FunctionKey"/> when it is not set.</summary>
    public const string FunctionKeyVariable = "AFTERCARE_HOST_FUNCTION_KEY";

    /// <summary>Environment variable read for <see cref="MasterKey"/> when it is not set.</summary>
    public const string MasterKeyVariable = "AFTERCARE_HOST_MASTER_KEY";

    /// <summary>
    /// The worker's build output: <c>worker.config.json</c> (how to launch it), <c>host.json</c> (the route prefix).
    /// It is the worker's working directory and its <c>FUNCTIONS_APPLICATION_DIRECTORY</c>. In attach mode it must be
    /// the folder the app's assembly was loaded from, with the app's <c>host.json</c> in it.
    /// </summary>
    public required string AppDirectory { get; init; }

    /// <summary>
    /// When true the host launches nothing: a worker built in the calling process attaches with
    /// <see cref="FunctionsHost.CreateAttachArguments"/>, and is not restarted by the host.
    /// </summary>
    public bool AttachWorker { get; init; }

    /// <summary>The HTTP port on 127.0.0.1; 0 (the default) takes a free one (see <see cref="FunctionsHost.BaseAddress"/>).</summary>
    public int HttpPort { get; init; }

    /// <summary>
    /// App settings: set as environment variables of a launched worker (over the host's own environment), and used by the
    /// host for <c>%Setting%</c> schedules and <c>AzureWebJobs.&lt;Function&gt;.Disabled</c>. A null value removes a variable.
    /// </summary>
    public IReadOnlyDictionary<string, string?> AppSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>The function (default host) key; else <see cref="FunctionKeyVariable"/>; else generated for this run.</summary>
    public string? FunctionKey { get; init; }

    /// <summary>The master key; else <see cref="MasterKeyVariable"/>; else generated for this run.</summary>
    public string? MasterKey { get; init; }

    /// <summary>Where the host's and the worker's logs go. Default: nowhere (they are still in <see cref="FunctionsHost.Logs"/>).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock for timers and delays (timer schedules are in UTC, as on Flex Consumption).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long a launched worker gets from start to the end of its handshake. Default 60 s, as azure-functions-host's ProcessStartupTimeout.</summary>
    public TimeSpan WorkerStartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an HTTP request or an invocation waits for a worker that is (re)starting before the host answers 503. Default 30 s.</summary>
    public TimeSpan WorkerWaitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The pause before a worker that stopped is started again. Default 1 s.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between restarts of a worker that keeps failing to start. Default 10 s (azure-functions-host's ProcessRestartInterval).</summary>
    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a queue message being processed stays invisible; the host renews it half-way through, as long as the
    /// invocation runs. Default 10 min, the WebJobs queue listener's fixed value (QueueListener, UpdateQueueMessageVisibilityCommand).
    /// A worker that dies mid-invocation leaves its message invisible for at most this long.
    /// </summary>
    public TimeSpan QueueMessageLease { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The grace period sent in <c>WorkerTerminate</c> at shutdown. Default 5 s (WorkerConstants.WorkerTerminateGracePeriodInSeconds).</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);
}
