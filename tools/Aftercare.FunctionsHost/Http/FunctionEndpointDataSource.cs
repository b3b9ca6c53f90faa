using Aftercare.FunctionsHost.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Aftercare.FunctionsHost.Http;

/// <summary>
/// The HTTP functions as ASP.NET Core endpoints, built exactly as the worker's ASP.NET Core integration builds its own
/// (FunctionsEndpointDataSource.MapHttpFunction): pattern <c>{routePrefix}/{route ?? name}</c> parsed by
/// RoutePatternFactory, an HttpMethodMetadata of the declared methods, order 0. Routing here therefore matches, with the
/// same constraints, optional and catch-all parameters and precedence, what the worker will match. Rebuilt whenever a
/// worker becomes ready.
/// </summary>
internal sealed class FunctionEndpointDataSource(string routePrefix, RequestDelegate invoke, ILogger logger) : EndpointDataSource, IDisposable
{
    private IReadOnlyList<Endpoint> _endpoints = [];
    private readonly TaskCompletionSource _populated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _changed = new();

    /// <summary>Completes once the first worker's functions are in (until then nothing can be routed).</summary>
    public Task Populated => _populated.Task;

    public override IReadOnlyList<Endpoint> Endpoints => Volatile.Read(ref _endpoints);

    public override IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public void Dispose() => _changed.Dispose();

    public void Update(FunctionCatalog functions)
    {
        var endpoints = new List<Endpoint>();
        foreach (var function in functions.Loaded)
        {
            if (function.Trigger is not HttpTriggerBinding http)
            {
                continue;
            }

            var route = $"{routePrefix}/{http.Route ?? function.Name}";
            RoutePattern pattern;
            try
            {
                pattern = RoutePatternFactory.Parse(route);
            }
            catch (RoutePatternException ex)
            {
                logger.LogError("Function '{FunctionName}' is not served: its route '{Route}' is invalid: {Error}", function.Name, route, ex.Message);
                continue;
            }

            var builder = new RouteEndpointBuilder(invoke, pattern, order: 0) { DisplayName = function.Name };
            builder.Metadata.Add(new HttpMethodMetadata(http.Methods));
            builder.Metadata.Add(new HttpFunctionMetadata(function.Name, http.AuthLevel));
            builder.Metadata.Add(new HostEndpointMetadata());
            endpoints.Add(builder.Build());
        }

        Volatile.Write(ref _endpoints, endpoints);
        var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        previous.Cancel();
        previous.Dispose();
        _populated.TrySetResult();
    }
}
