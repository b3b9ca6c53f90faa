using System.Net;
using Aftercare.FunctionsHost.App;
using Aftercare.FunctionsHost.Functions;
using Aftercare.FunctionsHost.Invocation;
using Aftercare.FunctionsHost.Rpc;
using Aftercare.FunctionsHost.Worker;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Aftercare.FunctionsHost.Http;

/// <summary>
/// Serves one request to an HTTP function as azure-functions-host does with a worker that reports <c>HttpUri</c>:
/// checks the key (401, empty body), hides a disabled function from all but the master key (404), then forwards the raw
/// request to the worker with YARP's IHttpForwarder (DefaultHttpProxyService: <c>x-ms-invocation-id</c> added,
/// X-Forwarded-* added by the default transformer, 240 s activity timeout) while it sends the <c>InvocationRequest</c>
/// (an empty <c>http</c> input, as GrpcMessageConversionExtensions.ToRpcHttp does when proxying). The worker writes the
/// response; if the invocation fails before the response has started, the answer is 500.
/// </summary>
internal sealed class HttpFunctionProxy : IDisposable
{
    private const string InvocationIdHeader = "x-ms-invocation-id";

    private static readonly ForwarderRequestConfig RequestConfig = new() { ActivityTimeout = TimeSpan.FromSeconds(240) };

    private readonly WorkerSupervisor _supervisor;
    private readonly FunctionInvoker _invoker;
    private readonly HostKeys _keys;
    private readonly AppSettings _settings;
    private readonly FunctionsHostOptions _options;
    private readonly HttpMessageInvoker _client;
    private readonly ILogger _logger;

    public HttpFunctionProxy(
        WorkerSupervisor supervisor, FunctionInvoker invoker, HostKeys keys, AppSettings settings, FunctionsHostOptions options, ILogger logger)
    {
        _supervisor = supervisor;
        _invoker = invoker;
        _keys = keys;
        _settings = settings;
        _options = options;
        _logger = logger;
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ActivityHeadersPropagator = null,
        });
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var function = context.GetEndpoint()!.Metadata.GetRequiredMetadata<HttpFunctionMetadata>();
        var granted = _keys.LevelOf(context.Request);
        if (!HostKeys.Allows(function.AuthLevel, granted))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        // Azure: "Disabled functions can still be run by calling the REST endpoint using a master key."
        if (_settings.IsFunctionDisabled(function.FunctionName) && granted != AuthorizationLevel.Admin)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var worker = await _supervisor.WaitForReadyAsync(_options.WorkerWaitTimeout, context.RequestAborted);
        if (worker is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var descriptor = worker.Functions.Find(function.FunctionName);
        if (descriptor is null || worker.HttpUri is null)
        {
            _logger.LogError("Function '{FunctionName}' cannot be invoked: {Reason}", function.FunctionName, descriptor is null ? "the worker did not load it" : "the worker reported no HttpUri");
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        await ForwardAsync(context, worker, descriptor);
    }

    public void Dispose() => _client.Dispose();

    private async Task ForwardAsync(HttpContext context, ReadyWorker worker, FunctionDescriptor function)
    {
        var request = context.Request;
        var body = await ReadBodyForBindingDataAsync(request, context.RequestAborted);
        var invocation = new InvocationRequest
        {
            InvocationId = Guid.NewGuid().ToString(),
            FunctionId = function.FunctionId,
            TraceContext = TraceContextFactory.Create(request.Headers.TraceParent, request.Headers.TraceState),
        };
        invocation.InputData.Add(new ParameterBinding { Name = function.Trigger.Name, Data = new TypedData { Http = new RpcHttp() } });
        invocation.TriggerMetadata.Add(HttpTriggerMetadata.Build(request, body));

        request.Headers[InvocationIdHeader] = invocation.InvocationId;
        var forwarder = context.RequestServices.GetRequiredService<IHttpForwarder>();
        var forwarding = forwarder.SendAsync(context, worker.HttpUri!.ToString(), _client, RequestConfig).AsTask();
        var result = await _invoker.SendAsync(worker, function, invocation, "This function was programmatically called via the host APIs.", context.RequestAborted);
        var forwardError = await forwarding;

        if (!result.Succeeded && !context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
        else if (forwardError != ForwarderError.None)
        {
            _logger.LogWarning("Forwarding the request for invocation {InvocationId} to the worker failed: {Error}", invocation.InvocationId, forwardError);
        }
    }

    /// <summary>The body as text when it has a positive Content-Length (HttpTriggerAttributeBindingProvider.IsRequestPayloadReadable); the stream is rewound for forwarding.</summary>
    private static async Task<string?> ReadBodyForBindingDataAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is not > 0)
        {
            return null;
        }

        request.EnableBuffering();
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync(cancellationToken);
        request.Body.Position = 0;
        return body;
    }
}
