using Aftercare.FunctionsHost.App;
using Aftercare.FunctionsHost.Functions;
using Aftercare.FunctionsHost.Grpc;
using Aftercare.FunctionsHost.Http;
using Aftercare.FunctionsHost.Invocation;
using Aftercare.FunctionsHost.Logging;
using Aftercare.FunctionsHost.Queues;
using Aftercare.FunctionsHost.Timers;
using Aftercare.FunctionsHost.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aftercare.FunctionsHost;

/// <summary>
/// A local Azure Functions host for a .NET isolated worker, for development and tests only (never deployed). It plays
/// the host's side of the host–worker gRPC protocol (Azure/azure-functions-language-worker-protobuf) as
/// Azure/azure-functions-host does: launches the worker (or lets one built in this process attach), runs the handshake,
/// serves the HTTP functions through the worker's ASP.NET Core integration with key checks, fires timers, runs functions
/// on demand, forwards the worker's logs, restarts a worker that dies, and stops it cleanly.
/// </summary>
/// <example>
/// <code>
/// await using var host = new FunctionsHost(new FunctionsHostOptions { AppDirectory = workerOutput });
/// await host.StartAsync();
/// await host.WaitForWorkerAsync();
/// var response = await http.GetAsync(new Uri(host.BaseAddress, "api/health"));
/// </code>
/// </example>
public sealed class FunctionsHost : IAsyncDisposable
{
    private readonly FunctionsHostOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly AppSettings _settings;
    private readonly HostKeys _keys;
    private readonly WorkerLogSink _logs;
    private readonly WorkerSupervisor _supervisor;
    private readonly FunctionInvoker _invoker;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _timers = [];
    private readonly QueuesOptions _queues;
    private readonly QueueClients _queueClients;
    private readonly QueueWatcher _queueWatcher = new();
    private readonly List<(QueueListener Listener, Task Polling)> _queueListeners = [];
    private readonly List<QueueInvocationOutcome> _queueOutcomes = [];
    private GrpcServer? _grpc;
    private HttpFrontDoor? _frontDoor;
    private HttpFunctionProxy? _proxy;
    private FunctionEndpointDataSource? _endpoints;
    private int _state;

    /// <exception cref="FileNotFoundException">Launch mode and the app folder has no worker.config.json.</exception>
    /// <exception cref="InvalidOperationException"><c>host.json</c> or an app setting holds an invalid <c>extensions.queues</c> value.</exception>
    public FunctionsHost(FunctionsHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("Host");
        _settings = new AppSettings(options.AppSettings);
        _keys = new HostKeys(
            options.FunctionKey ?? Environment.GetEnvironmentVariable(FunctionsHostOptions.FunctionKeyVariable) ?? HostKeys.Generate(),
            options.MasterKey ?? Environment.GetEnvironmentVariable(FunctionsHostOptions.MasterKeyVariable) ?? HostKeys.Generate());
        _logs = new WorkerLogSink(_loggerFactory, options.TimeProvider);
        _supervisor = new WorkerSupervisor(options, _settings, _logs, _loggerFactory);
        _queues = QueuesOptions.Read(options.AppDirectory, _settings);
        _queueClients = new QueueClients(_settings, _queues.MessageEncoding);
        _invoker = new FunctionInvoker(_supervisor, new QueueOutputWriter(_queueClients, _settings, _queueWatcher), options, _loggerFactory);
    }

    /// <summary>Raised for every worker log line (RpcLog, and output lines of a launched worker), on the thread that received it.</summary>
    public event Action<WorkerLogEntry>? LogReceived
    {
        add => _logs.Received += value;
        remove => _logs.Received -= value;
    }

    /// <summary>The HTTP base address, e.g. <c>http://127.0.0.1:7071/</c>; function routes are under the route prefix (<c>api/</c>).</summary>
    /// <exception cref="InvalidOperationException">Before <see cref="StartAsync"/>.</exception>
    public Uri BaseAddress => _frontDoor?.BaseAddress ?? throw new InvalidOperationException("Start the host first.");

    /// <summary>The key for <c>authLevel: function</c> routes (<c>x-functions-key</c> header or <c>code</c> query).</summary>
    public string FunctionKey => _keys.FunctionKey;

    /// <summary>The master key: every route, admin routes, and <c>POST /admin/functions/{name}</c>.</summary>
    public string MasterKey => _keys.MasterKey;

    /// <summary>The launched worker's process id (null in attach mode or while no worker runs). Killing it makes the host start another.</summary>
    public int? WorkerProcessId => _supervisor.ProcessId;

    /// <summary>
    /// Raised once per queue message the host settled after (or instead of) an invocation, on a thread-pool thread;
    /// with <see cref="QueueInvocations"/>, how a test waits for queues to go idle without sleeping.
    /// </summary>
    public event Action<QueueInvocationOutcome>? QueueInvocationCompleted;

    /// <summary>Every queue message settled so far, in order of completion.</summary>
    public IReadOnlyList<QueueInvocationOutcome> QueueInvocations
    {
        get
        {
            lock (_queueOutcomes)
            {
                return [.. _queueOutcomes];
            }
        }
    }

    /// <summary>Every worker log line received so far, in order.</summary>
    public IReadOnlyList<WorkerLogEntry> Logs => _logs.Snapshot();

    /// <summary>Starts the gRPC server and the HTTP server, then the worker (launch mode). Returns without waiting for the worker.</summary>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The host was already started.");
        }

        var hostJson = HostJson.Read(_options.AppDirectory);
        var httpLogger = _loggerFactory.CreateLogger("Host.Http");
        _proxy = new HttpFunctionProxy(_supervisor, _invoker, _keys, _settings, _options, httpLogger);
        _endpoints = new FunctionEndpointDataSource(hostJson.RoutePrefix, _proxy.InvokeAsync, httpLogger);
        var admin = new AdminInvokeEndpoint(_supervisor, _invoker, _keys, _options, httpLogger);
        _supervisor.Ready += OnWorkerReady;

        _grpc = await GrpcServer.StartAsync(_supervisor, _logs, _loggerFactory, cancellationToken);
        _frontDoor = await HttpFrontDoor.StartAsync(_options.HttpPort, _options.WorkerWaitTimeout, _endpoints, admin, _loggerFactory, cancellationToken);
        _supervisor.Start(_grpc.Address);
        _logger.LogInformation("Listening on {BaseAddress}; workers dial {GrpcAddress}.", _frontDoor.BaseAddress, _grpc.Address);
    }

    /// <summary>Waits until a worker has finished its handshake (all functions loaded) and returns what it serves.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    public async Task<WorkerInfo> WaitForWorkerAsync(CancellationToken cancellationToken = default)
    {
        var worker = await _supervisor.WaitForReadyAsync(Timeout.InfiniteTimeSpan, cancellationToken);
        return ToInfo(worker!);
    }

    /// <summary>
    /// Attach mode: the command-line arguments a worker built in this process must be given
    /// (<c>FunctionsApplication.CreateBuilder(args)</c>): both sets the real host passes, with a fresh worker id, and
    /// the same values as <c>Functions:Worker:*</c> configuration keys (an in-process worker does not map the switches).
    /// The worker also needs the variables of <see cref="GetWorkerEnvironment"/> set in this process.
    /// </summary>
    /// <exception cref="InvalidOperationException">Before <see cref="StartAsync"/>.</exception>
    public IReadOnlyList<string> CreateAttachArguments() => _supervisor.CreateAttachArguments();

    /// <summary>The environment the host gives a worker: <c>FUNCTIONS_APPLICATION_DIRECTORY</c>, <c>FUNCTIONS_WORKER_DIRECTORY</c>, <c>AzureWebJobsScriptRoot</c>, <c>FUNCTIONS_WORKER_RUNTIME</c>.</summary>
    public IReadOnlyDictionary<string, string> GetWorkerEnvironment() => WorkerArguments.Environment(_options.AppDirectory);

    /// <summary>
    /// Runs a non-HTTP function now, as <c>POST /admin/functions/{name}</c> does, and waits for the worker's answer. A
    /// timer function gets a TimerInfo (no schedule status); other triggers get <paramref name="input"/> as a string.
    /// Runs disabled functions too. Waits up to <see cref="FunctionsHostOptions.WorkerWaitTimeout"/> for a worker.
    /// </summary>
    /// <exception cref="ArgumentException">No such function, or it is HTTP-triggered.</exception>
    public Task<FunctionInvocationResult> InvokeAsync(string functionName, string? input = null, CancellationToken cancellationToken = default) =>
        _invoker.InvokeAsync(functionName, input, "This function was programmatically called via the host APIs.", status: null, cancellationToken);

    /// <summary>
    /// Stops in the real host's order: timers, then the HTTP server (requests in flight finish), then
    /// <c>WorkerTerminate</c> to the worker and a wait for it to exit, and only then the gRPC server.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        Task[] timers;
        lock (_timers)
        {
            timers = [.. _timers];
        }

        await Task.WhenAll(timers);
        if (_frontDoor is not null)
        {
            await _frontDoor.StopAsync(cancellationToken);
        }

        await _supervisor.StopAsync(_options.ShutdownGracePeriod);

        // Queue listeners stopped polling with the timers; the messages they took settle once the worker has answered or gone.
        (QueueListener Listener, Task Polling)[] listeners;
        lock (_timers)
        {
            listeners = [.. _queueListeners];
        }

        foreach (var (listener, polling) in listeners)
        {
            await polling;
            await listener.DrainAsync();
        }

        if (_grpc is not null)
        {
            await _grpc.StopAsync(cancellationToken);
        }

        _logger.LogInformation("Stopped.");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _supervisor.DisposeAsync();
        if (_frontDoor is not null)
        {
            await _frontDoor.DisposeAsync();
        }

        if (_grpc is not null)
        {
            await _grpc.DisposeAsync();
        }

        _proxy?.Dispose();
        _endpoints?.Dispose();
        _stopping.Dispose();
    }

    private void OnWorkerReady(Worker.ReadyWorker worker)
    {
        _endpoints!.Update(worker.Functions);
        lock (_timers)
        {
            if (_timers.Count == 0 && !_stopping.IsCancellationRequested)
            {
                StartTimers(worker.Functions);
                StartQueueListeners(worker.Functions);
            }
        }
    }

    private void StartTimers(FunctionCatalog functions)
    {
        foreach (var function in functions.Loaded)
        {
            if (function.Trigger is not TimerTriggerBinding timer)
            {
                continue;
            }

            if (_settings.IsFunctionDisabled(function.Name))
            {
                _logger.LogInformation("Function '{FunctionName}' is disabled: its timer does not run.", function.Name);
                continue;
            }

            TimerSchedule schedule;
            try
            {
                schedule = TimerSchedule.Parse(_settings.ResolveWholeString(timer.Schedule));
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException)
            {
                _logger.LogError("Timer '{FunctionName}' does not run: {Error}", function.Name, ex.Message);
                continue;
            }

            var listener = new TimerListener(function.Name, schedule, timer.UseMonitor, _invoker, _options.TimeProvider, _loggerFactory.CreateLogger("Host.Timer"));
            _timers.Add(Task.Run(() => listener.RunAsync(_stopping.Token)));
        }

        // A host without timers must not try again on every restart.
        _timers.Add(Task.CompletedTask);
    }

    private void StartQueueListeners(FunctionCatalog functions)
    {
        var logger = _loggerFactory.CreateLogger("Host.Queue");
        foreach (var function in functions.Loaded)
        {
            if (function.Trigger is not QueueTriggerBinding trigger)
            {
                continue;
            }

            if (_settings.IsFunctionDisabled(function.Name))
            {
                logger.LogInformation("Function '{FunctionName}' is disabled: its queue is not listened to.", function.Name);
                continue;
            }

            QueueListener listener;
            try
            {
                var queueName = _settings.ResolveWholeString(trigger.QueueName);
                var queue = _queueClients.Get(trigger.Connection, queueName);
                var poison = _queueClients.Get(trigger.Connection, queueName + "-poison");
                var handler = new QueueMessageHandler(function, trigger, queue, poison, _queues, _invoker, _options, _queueWatcher, OnQueueInvocationCompleted, logger);
                listener = new QueueListener(function.Name, queue, _queues, handler, _queueWatcher, _options, logger);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
            {
                logger.LogError("Queue trigger of '{FunctionName}' does not run: {Error}", function.Name, ex.Message);
                continue;
            }

            _queueListeners.Add((listener, Task.Run(() => listener.RunAsync(_stopping.Token))));
        }
    }

    private void OnQueueInvocationCompleted(QueueInvocationOutcome outcome)
    {
        lock (_queueOutcomes)
        {
            _queueOutcomes.Add(outcome);
        }

        QueueInvocationCompleted?.Invoke(outcome);
    }

    private static WorkerInfo ToInfo(Worker.ReadyWorker worker) =>
        new(worker.Channel.WorkerId, worker.ProcessId, [.. worker.Functions.Loaded.Select(f => f.Name)], worker.Functions.Errors);
}
