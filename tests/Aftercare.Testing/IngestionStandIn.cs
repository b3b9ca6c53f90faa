using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aftercare.Testing;

/// <summary>
/// A stand-in for Application Insights' ingestion endpoint on a loopback Kestrel server: it accepts what the
/// Application Insights SDK's channels post to <c>/v2/track</c> and <c>/v2.1/track</c> (newline-delimited JSON
/// envelopes, gzip or plain), keeps every item, and answers as the service does (<c>itemsReceived</c>,
/// <c>itemsAccepted</c>, no errors). Point an app at it with <see cref="ConnectionString"/>.
/// </summary>
public sealed class IngestionStandIn : IAsyncDisposable
{
    /// <summary>The instrumentation key in <see cref="ConnectionString"/>: any GUID is accepted.</summary>
    public const string InstrumentationKey = "00000000-0000-4000-8000-000000000015";

    private readonly Lock _gate = new();
    private readonly List<TelemetryItem> _items = [];
    private readonly List<string> _bodies = [];
    private WebApplication? _app;

    private IngestionStandIn()
    {
    }

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>An Application Insights connection string whose ingestion endpoint is this stand-in.</summary>
    public string ConnectionString => $"InstrumentationKey={InstrumentationKey};IngestionEndpoint={BaseUri}";

    /// <summary>Every item received so far, in arrival order.</summary>
    public IReadOnlyList<TelemetryItem> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items];
            }
        }
    }

    /// <summary>Every request body received, decompressed, as it arrived: what a scan for personal data reads.</summary>
    public IReadOnlyList<string> Bodies
    {
        get
        {
            lock (_gate)
            {
                return [.. _bodies];
            }
        }
    }

    public static async Task<IngestionStandIn> StartAsync(CancellationToken cancellationToken = default)
    {
        var standIn = new IngestionStandIn();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/v2/track", standIn.TrackAsync);
        app.MapPost("/v2.1/track", standIn.TrackAsync);
        await app.StartAsync(cancellationToken);
        standIn._app = app;
        standIn.BaseUri = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return standIn;
    }

    /// <summary>Polls until an item matching <paramref name="predicate"/> has arrived, or throws <see cref="TimeoutException"/> at the deadline.</summary>
    public async Task<TelemetryItem> WaitForAsync(Func<TelemetryItem, bool> predicate, TimeSpan deadline, Func<Task>? flush = null)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (true)
        {
            if (Items.FirstOrDefault(predicate) is { } item)
            {
                return item;
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"No matching telemetry item within {deadline}; {Items.Count} items arrived.");
            }

            if (flush is not null)
            {
                await flush();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    private async Task TrackAsync(HttpContext context)
    {
        Stream body = context.Request.Body;
        if (context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }

        using var reader = new StreamReader(body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        var received = new List<TelemetryItem>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // The JSON array form some exporters use is accepted as well as JSON lines.
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                received.AddRange(document.RootElement.EnumerateArray().Select(e => new TelemetryItem(e.Clone())));
            }
            else
            {
                received.Add(new TelemetryItem(document.RootElement.Clone()));
            }
        }

        lock (_gate)
        {
            _bodies.Add(text);
            _items.AddRange(received);
        }

        await context.Response.WriteAsJsonAsync(new { itemsReceived = received.Count, itemsAccepted = received.Count, errors = Array.Empty<object>() });
    }
}

/// <summary>
/// One Application Insights envelope as ingestion receives it: <c>name</c>, <c>time</c>, <c>tags</c>
/// (<c>ai.cloud.role</c>, <c>ai.operation.id</c>, <c>ai.operation.parentId</c>…) and <c>data.baseType</c> /
/// <c>data.baseData</c> (the item's fields: <c>name</c>, <c>type</c>, <c>target</c>, <c>data</c>, <c>properties</c>…).
/// </summary>
public sealed record TelemetryItem(JsonElement Envelope)
{
    /// <summary>RequestData, RemoteDependencyData, EventData, MessageData, ExceptionData, MetricData…</summary>
    public string BaseType => Envelope.TryGetProperty("data", out var data) && data.TryGetProperty("baseType", out var type) ? type.GetString() ?? string.Empty : string.Empty;

    public JsonElement BaseData => Envelope.GetProperty("data").GetProperty("baseData");

    public string? CloudRole => Tag("ai.cloud.role");

    public string? OperationId => Tag("ai.operation.id");

    public string? ParentId => Tag("ai.operation.parentId");

    /// <summary><c>baseData.name</c>: the event, dependency or request name; null for traces.</summary>
    public string? Name => BaseData.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;

    /// <summary><c>baseData.id</c> of a request or dependency (its span id, the parent id of what it caused).</summary>
    public string? Id => BaseData.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary><c>baseData.type</c> of a dependency (<c>Http</c>, <c>InProc</c>, <c>Azure table</c>…).</summary>
    public string? DependencyType => BaseData.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    public string? Property(string name) =>
        BaseData.TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out var value) ? value.GetString() : null;

    public string? Tag(string name) =>
        Envelope.TryGetProperty("tags", out var tags) && tags.TryGetProperty(name, out var value) ? value.GetString() : null;

    public override string ToString() => Envelope.GetRawText();
}
