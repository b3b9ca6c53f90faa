using Aftercare.FunctionsHost.Functions;
using Aftercare.FunctionsHost.Grpc;
using Aftercare.FunctionsHost.Rpc;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Worker;

/// <summary>
/// The start of a worker's stream, in azure-functions-host's order (GrpcWorkerChannel): <c>WorkerInitRequest</c>,
/// <c>FunctionsMetadataRequest</c> (worker indexing: the worker's own function ids are used from then on), then one
/// <c>FunctionLoadRequest</c> per function (the .NET worker does not report SupportsLoadResponseCollection).
/// </summary>
internal static class WorkerHandshake
{
    /// <summary>The version this host reports in <c>WorkerInitRequest.host_version</c>.</summary>
    public const string HostVersion = "4.0.0-aftercare-local";

    private const string HttpUriCapability = "HttpUri";

    /// <exception cref="InvalidOperationException">The worker failed to initialize or to index its functions.</exception>
    /// <exception cref="WorkerChannelClosedException">The stream ended during the handshake.</exception>
    public static async Task<(Uri? HttpUri, FunctionCatalog Functions)> RunAsync(
        WorkerChannel channel, string appDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var init = await channel.RequestAsync(
            new StreamingMessage
            {
                RequestId = Guid.NewGuid().ToString(),
                WorkerInitRequest = new WorkerInitRequest
                {
                    HostVersion = HostVersion,
                    WorkerDirectory = appDirectory,
                    FunctionAppDirectory = appDirectory,
                },
            },
            AnswerKey.WorkerInit,
            cancellationToken);
        EnsureSuccess(init.WorkerInitResponse.Result, "initialize");

        Uri? httpUri = null;
        if (init.WorkerInitResponse.Capabilities.TryGetValue(HttpUriCapability, out var uri)
            && !Uri.TryCreate(uri, UriKind.Absolute, out httpUri))
        {
            throw new InvalidOperationException($"The worker reported an invalid {HttpUriCapability} '{uri}'.");
        }

        var metadata = await channel.RequestAsync(
            new StreamingMessage
            {
                RequestId = Guid.NewGuid().ToString(),
                FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory },
            },
            AnswerKey.FunctionMetadata,
            cancellationToken);
        var response = metadata.FunctionMetadataResponse;
        EnsureSuccess(response.Result, "index its functions");
        if (response.UseDefaultMetadataIndexing)
        {
            throw new InvalidOperationException("The worker asked the host to index its functions (host indexing); this host supports worker indexing only.");
        }

        var (functions, errors) = Index(response.FunctionMetadataResults, logger);
        var loads = functions.Select(f => LoadAsync(channel, f, cancellationToken)).ToList();
        var loaded = new List<FunctionDescriptor>();
        foreach (var (function, error) in await Task.WhenAll(loads))
        {
            if (error is null)
            {
                loaded.Add(function);
            }
            else
            {
                errors[function.Name] = error;
                logger.LogError("The worker failed to load function '{FunctionName}': {Error}", function.Name, error);
            }
        }

        return (httpUri, new FunctionCatalog(loaded, errors));
    }

    private static (List<FunctionDescriptor> Functions, Dictionary<string, string> Errors) Index(
        IEnumerable<RpcFunctionMetadata> results, ILogger logger)
    {
        var functions = new List<FunctionDescriptor>();
        var errors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var metadata in results)
        {
            string? error;
            if (metadata.Status is { Status: StatusResult.Types.Status.Failure } status)
            {
                error = status.Exception?.Message ?? status.Result;
            }
            else
            {
                try
                {
                    var function = FunctionDescriptor.From(metadata);
                    error = HttpRouteRules.Check(function, functions);
                    if (error is null)
                    {
                        functions.Add(function);
                        continue;
                    }
                }
                catch (Exception ex) when (ex is InvalidOperationException or System.Text.Json.JsonException)
                {
                    error = ex.Message;
                }
            }

            errors[metadata.Name] = error;
            logger.LogError("Function '{FunctionName}' is not served: {Error}", metadata.Name, error);
        }

        return (functions, errors);
    }

    private static async Task<(FunctionDescriptor Function, string? Error)> LoadAsync(
        WorkerChannel channel, FunctionDescriptor function, CancellationToken cancellationToken)
    {
        var answer = await channel.RequestAsync(
            new StreamingMessage { RequestId = Guid.NewGuid().ToString(), FunctionLoadRequest = function.ToLoadRequest() },
            AnswerKey.FunctionLoad(function.FunctionId),
            cancellationToken);
        var result = answer.FunctionLoadResponse.Result;
        return (function, result.Status == StatusResult.Types.Status.Success ? null : result.Exception?.Message ?? result.Result);
    }

    private static void EnsureSuccess(StatusResult? result, string step)
    {
        if (result is not { Status: StatusResult.Types.Status.Success })
        {
            throw new InvalidOperationException($"The worker failed to {step}: {result?.Exception?.Message ?? result?.Result ?? "no result"}");
        }
    }
}
