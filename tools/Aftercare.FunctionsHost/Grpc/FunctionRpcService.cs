using Aftercare.FunctionsHost.Logging;
using Aftercare.FunctionsHost.Rpc;
using Aftercare.FunctionsHost.Worker;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Grpc;

/// <summary>
/// The host's side of <c>FunctionRpc.EventStream</c>: the worker dials in and opens with <c>StartStream</c>; the
/// stream is handed to the supervisor, which runs the handshake on it. The call lasts as long as the worker.
/// </summary>
internal sealed class FunctionRpcService(WorkerSupervisor supervisor, WorkerLogSink logs, ILogger<FunctionRpcService> logger)
    : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(
        IAsyncStreamReader<StreamingMessage> requestStream,
        IServerStreamWriter<StreamingMessage> responseStream,
        ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken) || requestStream.Current.StartStream is not { } start)
        {
            logger.LogWarning("A worker opened an event stream without StartStream; closing it.");
            return;
        }

        using var channel = new WorkerChannel(start.WorkerId, requestStream, responseStream, logs);
        if (!supervisor.TryAccept(channel))
        {
            logger.LogWarning("Worker '{WorkerId}' is not the one the host is waiting for; closing its stream.", start.WorkerId);
            return;
        }

        await channel.RunAsync(context.CancellationToken);
    }
}
