using System.Collections.Concurrent;
using System.Threading.Channels;
using Aftercare.FunctionsHost.Logging;
using Aftercare.FunctionsHost.Rpc;
using Grpc.Core;

namespace Aftercare.FunctionsHost.Grpc;

/// <summary>
/// One worker's <c>EventStream</c>: a single writer loop (gRPC stream writers take one write at a time), a reader
/// loop that routes answers to whoever asked and <c>RpcLog</c> to the log sink. When the stream ends, every pending
/// request fails with <see cref="WorkerChannelClosedException"/>.
/// </summary>
internal sealed class WorkerChannel : IDisposable
{
    private readonly IAsyncStreamReader<StreamingMessage> _requests;
    private readonly IServerStreamWriter<StreamingMessage> _responses;
    private readonly WorkerLogSink _logs;
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closing = new();

    public WorkerChannel(string workerId, IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, WorkerLogSink logs)
    {
        WorkerId = workerId;
        _requests = requests;
        _responses = responses;
        _logs = logs;
    }

    /// <summary>The id the worker sent in <c>StartStream</c>.</summary>
    public string WorkerId { get; }

    /// <summary>Completes when the stream has ended, from either side.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Runs both loops until the worker closes the stream, the call is aborted, or <see cref="Close"/>.</summary>
    public async Task RunAsync(CancellationToken callAborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callAborted, _closing.Token);
        var writing = WriteLoopAsync(linked.Token);
        try
        {
            while (await _requests.MoveNext(linked.Token))
            {
                Dispatch(_requests.Current);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or global::Grpc.Core.RpcException or InvalidOperationException)
        {
            // The worker went away or the host closed the stream: both end the channel the same way.
        }
        finally
        {
            _outbound.Writer.TryComplete();
            await _closing.CancelAsync();
            await writing;
            foreach (var key in _pending.Keys)
            {
                if (_pending.TryRemove(key, out var pending))
                {
                    pending.TrySetException(new WorkerChannelClosedException());
                }
            }

            _completion.TrySetResult();
        }
    }

    /// <summary>Queues a message for the worker.</summary>
    /// <exception cref="WorkerChannelClosedException">The stream has ended.</exception>
    public void Send(StreamingMessage message)
    {
        if (!_outbound.Writer.TryWrite(message))
        {
            throw new WorkerChannelClosedException();
        }
    }

    /// <summary>Sends a message and waits for the answer filed under <paramref name="answerKey"/> (see <see cref="AnswerKey"/>).</summary>
    /// <exception cref="WorkerChannelClosedException">The stream ended before the answer came.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage message, string answerKey, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(answerKey, answer))
        {
            throw new InvalidOperationException($"A request is already waiting for '{answerKey}'.");
        }

        try
        {
            if (Completion.IsCompleted)
            {
                throw new WorkerChannelClosedException();
            }

            Send(message);
            return await answer.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _pending.TryRemove(answerKey, out _);
        }
    }

    /// <summary>Ends the stream from the host's side.</summary>
    public void Close()
    {
        _outbound.Writer.TryComplete();
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                await _responses.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or global::Grpc.Core.RpcException or InvalidOperationException)
        {
            // The stream is gone; the reader loop ends the channel.
        }
    }

    public void Dispose() => _closing.Dispose();

    private void Dispatch(StreamingMessage message)
    {
        if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog)
        {
            _logs.Add(message.RpcLog);
            return;
        }

        var key = AnswerKey.For(message);
        if (key is not null && _pending.TryRemove(key, out var pending))
        {
            pending.TrySetResult(message);
        }
    }
}
