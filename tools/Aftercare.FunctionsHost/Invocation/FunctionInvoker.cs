using System.Diagnostics;
using Aftercare.FunctionsHost.Functions;
using Aftercare.FunctionsHost.Grpc;
using Aftercare.FunctionsHost.Rpc;
using Aftercare.FunctionsHost.Timers;
using Aftercare.FunctionsHost.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Invocation;

/// <summary>
/// Sends <c>InvocationRequest</c>s and turns the worker's <c>InvocationResponse</c> into a
/// <see cref="FunctionInvocationResult"/>; logs each invocation as the real host does ("Executing …", "Executed …").
/// Every trigger goes through here: HTTP, timers, on-demand runs, and later queue messages, whose output bindings
/// will read the response's <c>output_data</c> and <c>return_value</c> here (fields 2 and 4 of InvocationResponse, to be
/// added to the .proto with them).
/// </summary>
internal sealed class FunctionInvoker(WorkerSupervisor supervisor, FunctionsHostOptions options, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Host.Function");

    /// <summary>Runs a non-HTTP function: a timer gets a TimerInfo, any other trigger gets <paramref name="input"/> as a string.</summary>
    /// <exception cref="ArgumentException">No such function, or it is HTTP-triggered (call its route instead).</exception>
    public async Task<FunctionInvocationResult> InvokeAsync(string functionName, string? input, string reason, ScheduleStatus? status, CancellationToken cancellationToken)
    {
        var worker = await supervisor.WaitForReadyAsync(options.WorkerWaitTimeout, cancellationToken);
        if (worker is null)
        {
            return new FunctionInvocationResult(string.Empty, false, $"No worker was ready within {options.WorkerWaitTimeout}.");
        }

        var function = worker.Functions.Find(functionName)
            ?? throw new ArgumentException($"The worker has no function '{functionName}'.", nameof(functionName));
        var request = function.Trigger switch
        {
            HttpTriggerBinding => throw new ArgumentException($"'{functionName}' is HTTP-triggered: call its route.", nameof(functionName)),
            TimerTriggerBinding timer => TimerInvocation.Create(function, timer, status, options.TimeProvider.GetUtcNow()),
            _ => StringInvocation(function, input),
        };
        return await SendAsync(worker, function, request, reason, cancellationToken);
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
                ? new FunctionInvocationResult(request.InvocationId, true, null)
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
