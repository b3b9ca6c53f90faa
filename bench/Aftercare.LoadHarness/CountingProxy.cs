using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Aftercare.LoadHarness;

/// <summary>
/// A reverse proxy on a free loopback port in front of one storage emulator service that counts every request it
/// forwards (YARP's <see cref="IHttpForwarder"/> forwards them unchanged, so shared-key signatures still verify): the
/// round trips as the storage service sees them, retries included, next to the app's own per-call count.
/// </summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _count;

    private CountingProxy(WebApplication app) => _app = app;

    /// <summary>The proxy's port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>Requests forwarded so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Starts forwarding every request to <paramref name="target"/> (scheme, host and port; the path is kept).</summary>
    public static async Task<CountingProxy> StartAsync(Uri target, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        var proxy = new CountingProxy(app);
        var client = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var destination = new UriBuilder(target.Scheme, target.Host, target.Port).Uri.ToString();
        var transformer = new RawTargetTransformer(destination);
        app.Map("/{**rest}", async (HttpContext context) =>
        {
            Interlocked.Increment(ref proxy._count);
            await forwarder.SendAsync(context, destination, client, ForwarderRequestConfig.Empty, transformer);
        });
        await app.StartAsync(cancellationToken);
        proxy.Port = new Uri(app.Urls.First()).Port;
        return proxy;
    }

    /// <summary>
    /// Forwards the request target exactly as it arrived: YARP rebuilds it from the decoded path by default, which
    /// re-encodes entity keys ("(PartitionKey='a|b')") differently and breaks the shared-key signature over them.
    /// </summary>
    private sealed class RawTargetTransformer(string destination) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await Default.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            var rawTarget = httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
            proxyRequest.RequestUri = new Uri(destination.TrimEnd('/') + rawTarget);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
