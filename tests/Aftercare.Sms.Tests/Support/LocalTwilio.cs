using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aftercare.Sms.Tests.Support;

/// <summary>
/// A loopback Kestrel that answers every request with what the test says: one Twilio answer shape at a time (an error
/// body, a header, an HTML page, a hang). It records each request's method, path and query.
/// </summary>
public sealed class LocalTwilio : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();

    private LocalTwilio(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>"METHOD /path?query" of every request received, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Set when the server stops, so a hanging answer ends.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    public static async Task<LocalTwilio> StartAsync(Func<HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var local = new LocalTwilio(app);
        app.Run(context =>
        {
            local._requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            return answer(context);
        });
        await app.StartAsync();
        local.BaseUri = new Uri(app.Urls.First());
        return local;
    }

    /// <summary>Twilio's error body: {code, message, more_info, status}.</summary>
    public static Task ErrorAsync(HttpContext context, int status, int code, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new Dictionary<string, object?>
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
            ["status"] = status,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
