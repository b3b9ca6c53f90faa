using System.Net.Sockets;
using Aftercare.FunctionsHost.App;
using Aftercare.FunctionsHost.Grpc;
using Aftercare.FunctionsHost.Logging;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Worker;

/// <summary>
/// Keeps one worker running: launches it (or, in attach mode, waits for one to dial in), runs the handshake, and when
/// the worker exits or its stream breaks, fails what was in flight, kills what is left of it and starts another after
/// a short delay. Consecutive failures to start double the delay up to <see cref="FunctionsHostOptions.MaxRestartDelay"/>;
/// unlike Azure (which recycles the whole host after 3 worker errors in 30 minutes) it never gives up.
/// </summary>
internal sealed class WorkerSupervisor : IAsyncDisposable
{
    private readonly FunctionsHostOptions _options;
    private readonly AppSettings _settings;
    private readonly WorkerProcessLauncher? _launcher;
    private readonly WorkerConfig? _workerConfig;
    private readonly WorkerLogSink _logs;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource<ReadyWorker> _ready = NewReadySource();
    private TaskCompletionSource<WorkerChannel>? _awaitedStream;
    private string? _awaitedWorkerId;
    private ReadyWorker? _current;
    private WorkerProcess? _process;
    private Uri? _grpcUri;
    private Task _loop = Task.CompletedTask;
    private volatile bool _stopRequested;

    public WorkerSupervisor(FunctionsHostOptions options, AppSettings settings, WorkerLogSink logs, ILoggerFactory loggerFactory)
    {
        _options = options;
        _settings = settings;
        _logs = logs;
        _logger = loggerFactory.CreateLogger("Host.Worker");
        if (!options.AttachWorker)
        {
            _workerConfig = WorkerConfig.Read(options.AppDirectory);
            _launcher = new WorkerProcessLauncher();
            if (_launcher.DeathSignalWrapper is null)
            {
                _logger.LogWarning("setpriv was not found: a worker can outlive this host if the host is killed.");
            }
        }
    }

    /// <summary>Raised after a worker finished its handshake, before anyone waiting for it is released.</summary>
    public event Action<ReadyWorker>? Ready;

    public ReadyWorker? Current => Volatile.Read(ref _current);

    /// <summary>The launched worker's process id; null in attach mode or while none runs.</summary>
    public int? ProcessId => Volatile.Read(ref _process) is { HasExited: false } process ? process.Id : null;

    public void Start(Uri grpcUri)
    {
        _grpcUri = grpcUri;
        _loop = Task.Run(() => SuperviseAsync(_stopping.Token));
    }

    /// <summary>The ready worker, waiting up to <paramref name="timeout"/> for one; null if none is ready by then.</summary>
    public async Task<ReadyWorker?> WaitForReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task<ReadyWorker> ready;
        lock (_lock)
        {
            ready = _ready.Task;
        }

        try
        {
            return await ready.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Arguments for a worker to attach with (attach mode): a fresh worker id the host will accept once.</summary>
    public IReadOnlyList<string> CreateAttachArguments()
    {
        var grpcUri = _grpcUri ?? throw new InvalidOperationException("Start the host first.");
        var workerId = Guid.NewGuid().ToString();
        lock (_lock)
        {
            _awaitedWorkerId = workerId;
        }

        return WorkerArguments.ForAttachedWorker(grpcUri, workerId, Guid.NewGuid().ToString());
    }

    /// <summary>Takes a stream that opened with <c>StartStream</c>, if it is the worker the host is waiting for.</summary>
    public bool TryAccept(WorkerChannel channel)
    {
        lock (_lock)
        {
            if (_awaitedStream is null || (_awaitedWorkerId is not null && _awaitedWorkerId != channel.WorkerId))
            {
                return false;
            }

            var awaited = _awaitedStream;
            _awaitedStream = null;
            return awaited.TrySetResult(channel);
        }
    }

    /// <summary>
    /// Asks the worker to stop (<c>WorkerTerminate</c> with <paramref name="gracePeriod"/>, as azure-functions-host does
    /// before its server stops) and waits for it to go; a worker still there after the grace period is killed.
    /// </summary>
    public async Task StopAsync(TimeSpan gracePeriod)
    {
        _stopRequested = true;
        if (Current is { } worker)
        {
            try
            {
                var terminate = new Rpc.StreamingMessage
                {
                    RequestId = Guid.NewGuid().ToString("N"),
                    WorkerTerminate = new Rpc.WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(gracePeriod) },
                };
                if (Volatile.Read(ref _process) is { } process)
                {
                    worker.Channel.Send(terminate);
                    await process.Exited.WaitAsync(gracePeriod + TimeSpan.FromSeconds(2));
                }
                else
                {
                    // An attached worker is its owner's to stop, and the .NET worker never hangs up its gRPC stream
                    // before its process ends: wait until it has acted on the WorkerTerminate (it echoes the request
                    // id after calling StopApplication), then end the stream from this side. Ending it as soon as the
                    // message was written raced the worker's read of it.
                    using var acted = new CancellationTokenSource(gracePeriod + TimeSpan.FromSeconds(2));
                    try
                    {
                        await worker.Channel.RequestAsync(terminate, AnswerKey.Acknowledgement(terminate.RequestId), acted.Token);
                    }
                    finally
                    {
                        worker.Channel.Close();
                    }
                }
            }
            catch (Exception ex) when (ex is WorkerChannelClosedException or TimeoutException or OperationCanceledException)
            {
                _logger.LogWarning("The worker did not stop within {GracePeriod}; killing it.", gracePeriod);
            }
        }

        await _stopping.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync(TimeSpan.Zero);
        }

        _launcher?.Dispose();
        _stopping.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var failedStarts = 0;
        while (!stopping.IsCancellationRequested && !_stopRequested)
        {
            var becameReady = false;
            WorkerChannel? channel = null;
            try
            {
                var workerId = Guid.NewGuid().ToString();
                var stream = ExpectStream(_options.AttachWorker ? null : workerId);
                if (!_options.AttachWorker)
                {
                    await LaunchAsync(workerId);
                }

                channel = await WaitForStreamAsync(stream, stopping);
                using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                handshakeTimeout.CancelAfter(_options.WorkerStartTimeout);
                var (httpUri, functions) = await WorkerHandshake.RunAsync(channel, _options.AppDirectory, _logger, handshakeTimeout.Token);
                if (httpUri is not null)
                {
                    await WaitUntilListeningAsync(httpUri, handshakeTimeout.Token);
                }

                var ready = new ReadyWorker(channel, ProcessId, httpUri, functions);
                var exited = Volatile.Read(ref _process)?.Exited ?? channel.Completion;
                SetReady(ready, exited);
                becameReady = true;
                failedStarts = 0;
                _logger.LogInformation(
                    "Worker ready (process {ProcessId}, worker {WorkerId}): {Count} functions loaded.",
                    ready.ProcessId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "attached",
                    channel.WorkerId,
                    functions.Loaded.Count);

                await Task.WhenAny(channel.Completion, exited).WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping.
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogError(ex, "The worker failed to start.");
            }
            finally
            {
                await EndWorkerAsync(channel);
            }

            if (stopping.IsCancellationRequested || _stopRequested)
            {
                break;
            }

            failedStarts = becameReady ? 0 : failedStarts + 1;
            var delay = RestartDelay(failedStarts);
            _logger.LogWarning("The worker stopped; {Next} in {Delay} ms.", _options.AttachWorker ? "waiting for another to attach" : "starting another", delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, _options.TimeProvider, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private TimeSpan RestartDelay(int failedStarts)
    {
        var delay = _options.RestartDelay * Math.Pow(2, Math.Min(failedStarts, 16));
        return delay > _options.MaxRestartDelay ? _options.MaxRestartDelay : delay;
    }

    private Task<WorkerChannel> ExpectStream(string? workerId)
    {
        var stream = new TaskCompletionSource<WorkerChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _awaitedStream = stream;
            if (workerId is not null)
            {
                _awaitedWorkerId = workerId;
            }
        }

        return stream.Task;
    }

    private async Task LaunchAsync(string workerId)
    {
        var config = _workerConfig!;
        var arguments = new List<string>(config.ExecutableArguments);
        if (config.WorkerPath is not null)
        {
            arguments.Add(config.WorkerPath);
        }

        arguments.AddRange(config.WorkerArguments);
        arguments.AddRange(WorkerArguments.For(_grpcUri!, workerId, Guid.NewGuid().ToString()));

        var info = _launcher!.CreateStartInfo(config.ExecutablePath, arguments);
        info.WorkingDirectory = _options.AppDirectory;
        foreach (var (name, value) in WorkerArguments.Environment(_options.AppDirectory))
        {
            if (name != "FUNCTIONS_WORKER_RUNTIME" || _settings[name] is null)
            {
                info.Environment[name] = value;
            }
        }

        foreach (var (name, value) in _settings.Configured)
        {
            info.Environment[name] = value;
        }

        var process = await WorkerProcess.StartAsync(_launcher, info, _logs);
        Volatile.Write(ref _process, process);
        _logger.LogInformation("Worker process {ProcessId} started.", process.Id);
    }

    private async Task<WorkerChannel> WaitForStreamAsync(Task<WorkerChannel> stream, CancellationToken stopping)
    {
        if (Volatile.Read(ref _process) is not { } process)
        {
            return await stream.WaitAsync(stopping);
        }

        var timeout = Task.Delay(_options.WorkerStartTimeout, _options.TimeProvider, stopping);
        var first = await Task.WhenAny(stream, process.Exited, timeout);
        if (first == stream)
        {
            return await stream;
        }

        stopping.ThrowIfCancellationRequested();
        throw new InvalidOperationException(first == timeout
            ? $"The worker did not open its event stream within {_options.WorkerStartTimeout}."
            : $"The worker exited with code {await process.Exited} before opening its event stream.");
    }

    private async Task WaitUntilListeningAsync(Uri httpUri, CancellationToken cancellationToken)
    {
        // The worker reports HttpUri before its Kestrel listens; the real host retries its proxying for the same reason.
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(httpUri.Host, httpUri.Port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), _options.TimeProvider, cancellationToken);
            }
        }
    }

    private void SetReady(ReadyWorker ready, Task exited)
    {
        Volatile.Write(ref _current, ready);
        Ready?.Invoke(ready);
        lock (_lock)
        {
            _ready.TrySetResult(ready);
        }

        // From the moment the worker is gone, new requests wait for the next one instead of reaching a dead worker.
        _ = Task.WhenAny(ready.Channel.Completion, exited).ContinueWith(_ => Retire(ready), TaskScheduler.Default);
    }

    private void Retire(ReadyWorker worker)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_current, worker))
            {
                Volatile.Write(ref _current, null);
                if (_ready.Task.IsCompleted)
                {
                    _ready = NewReadySource();
                }
            }
        }
    }

    private async Task EndWorkerAsync(WorkerChannel? channel)
    {
        lock (_lock)
        {
            _awaitedStream = null;
            if (_ready.Task.IsCompleted)
            {
                _ready = NewReadySource();
            }
        }

        Volatile.Write(ref _current, null);
        channel?.Close();
        if (Interlocked.Exchange(ref _process, null) is { } process)
        {
            if (_stopRequested)
            {
                // WorkerTerminate was sent: the worker closes its stream first, then exits within the grace period.
                try
                {
                    await process.Exited.WaitAsync(_options.ShutdownGracePeriod + TimeSpan.FromSeconds(2));
                }
                catch (TimeoutException)
                {
                    // Killed below.
                }
            }

            if (!process.HasExited)
            {
                _logger.LogWarning("Killing worker process {ProcessId}: its event stream ended.", process.Id);
            }

            await process.KillAsync(TimeSpan.FromSeconds(10));
            var exitCode = process.Exited.IsCompletedSuccessfully ? process.Exited.Result : -1;
            _logger.LogInformation("Worker process {ProcessId} exited with code {ExitCode}.", process.Id, exitCode);
            process.Dispose();
        }

        if (channel is not null)
        {
            try
            {
                await channel.Completion.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                _logger.LogWarning("The worker's event stream did not close within 5 s.");
            }
        }
    }

    private static TaskCompletionSource<ReadyWorker> NewReadySource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
