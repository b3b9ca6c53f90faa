using System.Net;
using Aftercare.FunctionsHost.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Http;

/// <summary>
/// The host's HTTP server on 127.0.0.1 (Kestrel): the function routes, and <c>POST /admin/functions/{name}</c>. A request
/// that matches no function, or matches a route but not its methods, is answered 404, as azure-functions-host's router
/// (an HttpMethodRouteConstraint per function route) answers it; the worker itself would say 405. Requests that come
/// before the first worker is ready wait for it (503 after <see cref="FunctionsHostOptions.WorkerWaitTimeout"/>).
/// </summary>
internal sealed class HttpFrontDoor : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpFrontDoor(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<HttpFrontDoor> StartAsync(
        int port, TimeSpan workerWaitTimeout, FunctionEndpointDataSource functions, AdminInvokeEndpoint admin, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddHttpForwarder();
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(new FrameworkLoggerFactory(loggerFactory)));

        var app = builder.Build();
        app.Use((context, next) => WaitForFunctionsAsync(context, next, functions.Populated, workerWaitTimeout));
        app.UseRouting();
        app.Use(AnswerUnmatchedWithNotFound);
        app.MapPost(AdminInvokeEndpoint.Route, admin.InvokeAsync).WithMetadata(new HostEndpointMetadata());
        ((IEndpointRouteBuilder)app).DataSources.Add(functions);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new HttpFrontDoor(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static async Task WaitForFunctionsAsync(HttpContext context, RequestDelegate next, Task populated, TimeSpan timeout)
    {
        if (!populated.IsCompleted)
        {
            try
            {
                await populated.WaitAsync(timeout, context.RequestAborted);
            }
            catch (TimeoutException)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
        }

        await next(context);
    }

    private static Task AnswerUnmatchedWithNotFound(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint() is { } endpoint && endpoint.Metadata.GetMetadata<HostEndpointMetadata>() is null)
        {
            // Routing's 405 endpoint for a known route with another method.
            context.SetEndpoint(null);
        }

        return next(context);
    }
}
