using System.Diagnostics;
using Aftercare.FunctionsHost.Functions;
using Aftercare.FunctionsHost.Grpc;
using Aftercare.FunctionsHost.Queues;
using Aftercare.FunctionsHost.Rpc;
using Aftercare.FunctionsHost.Timers;
using Aftercare.FunctionsHost.Worker;
using Azure;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Invocation;

/// <summary>
/// Sends <c>InvocationRequest</c>s and turns the worker's <c>InvocationResponse</c> into a
/// <see cref="FunctionInvocationResult"/>; logs each invocation as the real host does ("Executing …", "Executed …").
/// Every trigger goes through here: HTTP, timers, queue messages and on-demand runs. After a successful invocation
/// it writes the function's queue outputs (<c>output_data</c>, <c>return_value</c>), whatever the trigger, before the
/// result returns; as in the real host (FunctionExecutor flushes output bindings after the function returns) a failed
/// write fails the invocation, so a queue trigger's message is retried, and outputs already written stay written.
/// </summary>
internal sealed class FunctionInvoker(WorkerSupervisor supervisor, QueueOutputWriter outputs, FunctionsHostOptions options, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Host.Function");

    /// <summary>Runs a non-HTTP function: a timer gets a TimerInfo, a queue trigger <paramref name="input"/> as the message text, any other trigger <paramref name="input"/> as a string.</summary>
    /// <exception cref="ArgumentException">No such function, or it is HTTP-triggered (call its route instead).</exception>
    public Task<FunctionInvocationResult> InvokeAsync(string functionName, string? input, string reason, ScheduleStatus? status, CancellationToken cancellationToken) =>
        InvokeAsync(
            functionName,
            function => function.Trigger switch
            {
                HttpTriggerBinding => throw new ArgumentException($"'{functionName}' is HTTP-triggered: call its route.", nameof(functionName)),
                TimerTriggerBinding timer => TimerInvocation.Create(function, timer, status, options.TimeProvider.GetUtcNow()),
                QueueTriggerBinding queue => QueueInvocation.Create(function, queue, input),
                _ => StringInvocation(function, input),
            },
            reason,
            cancellationToken);

    /// <summary>Waits for a ready worker, finds the function on it and sends the request <paramref name="createRequest"/> builds.</summary>
    /// <exception cref="ArgumentException">The ready worker has no such function, or <paramref name="createRequest"/> threw it.</exception>
    public async Task<FunctionInvocationResult> InvokeAsync(
        string functionName, Func<FunctionDescriptor, InvocationRequest> createRequest, string reason, CancellationToken cancellationToken)
    {
        var worker = await supervisor.WaitForReadyAsync(options.WorkerWaitTimeout, cancellationToken);
        if (worker is null)
        {
            return new FunctionInvocationResult(string.Empty, false, $"No worker was ready within {options.WorkerWaitTimeout}.");
        }

        var function = worker.Functions.Find(functionName)
            ?? throw new ArgumentException($"The worker has no function '{functionName}'.", nameof(functionName));
        return await SendAsync(worker, function, createRequest(function), reason, cancellationToken);
    }

    /// <summary>Sends the request on the worker's stream and waits for its answer.</summary>
    public async Task<FunctionInvocationResult> SendAsync(
        ReadyWorker worker, FunctionDescriptor function, InvocationRequest request, string reason, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Executing 'Functions.{FunctionName}' (Reason='{Reason}', Id={InvocationId})", function.Name, reason, request.InvocationId);
        var started = Stopwatch.GetTimestamp();
        FunctionInvocationResult result;
        try
        {
            var answer = await worker.Channel.RequestAsync(
                new StreamingMessage { InvocationRequest = request },
                AnswerKey.Invocation(request.InvocationId),
                cancellationToken);
            var status = answer.InvocationResponse.Result;
            result = status?.Status == StatusResult.Types.Status.Success
                ? await WriteOutputsAsync(function, request.InvocationId, answer.InvocationResponse, cancellationToken)
                : new FunctionInvocationResult(request.InvocationId, false, status?.Exception?.Message ?? status?.Result ?? "The worker reported no result.", status?.Exception?.Type);
        }
        catch (WorkerChannelClosedException)
        {
            result = new FunctionInvocationResult(request.InvocationId, false, "The worker stopped before the invocation completed.");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        if (result.Succeeded)
        {
            _logger.LogInformation("Executed 'Functions.{FunctionName}' (Succeeded, Id={InvocationId}, Duration={Duration}ms)", function.Name, request.InvocationId, (long)elapsed.TotalMilliseconds);
        }
        else
        {
            _logger.LogError("Executed 'Functions.{FunctionName}' (Failed, Id={InvocationId}, Duration={Duration}ms) {ErrorType}: {Error}", function.Name, request.InvocationId, (long)elapsed.TotalMilliseconds, result.ErrorType, result.ErrorMessage);
        }

        return result;
    }

    private async Task<FunctionInvocationResult> WriteOutputsAsync(
        FunctionDescriptor function, string invocationId, InvocationResponse response, CancellationToken cancellationToken)
    {
        try
        {
            await outputs.WriteAsync(function, response, cancellationToken);
            return new FunctionInvocationResult(invocationId, true, null);
        }
        catch (Exception ex) when (ex is RequestFailedException or InvalidOperationException)
        {
            return new FunctionInvocationResult(invocationId, false, $"A queue output of '{function.Name}' could not be written: {ex.Message}", ex.GetType().Name);
        }
    }

    private static InvocationRequest StringInvocation(FunctionDescriptor function, string? input)
    {
        var request = new InvocationRequest
        {
            InvocationId = Guid.NewGuid().ToString(),
            FunctionId = function.FunctionId,
            TraceContext = TraceContextFactory.Create(null, null),
        };
        request.InputData.Add(new ParameterBinding
        {
            Name = function.Trigger.Name,
            Data = input is null ? new TypedData() : new TypedData { String = input },
        });
        return request;
    }
}
