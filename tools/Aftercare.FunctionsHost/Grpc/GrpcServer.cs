using System.Net;
using Aftercare.FunctionsHost.Logging;
using Aftercare.FunctionsHost.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Grpc;

/// <summary>The gRPC server workers dial: Kestrel on a free 127.0.0.1 port, HTTP/2 cleartext, no message size limit.</summary>
internal sealed class GrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The address handed to workers as <c>--functions-uri</c>, e.g. <c>http://127.0.0.1:45123/</c>.</summary>
    public Uri Address { get; }

    public static async Task<GrpcServer> StartAsync(WorkerSupervisor supervisor, WorkerLogSink logs, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(supervisor);
        builder.Services.AddSingleton(logs);
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(new FrameworkLoggerFactory(loggerFactory)));

        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new GrpcServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
