using Xunit;

namespace Aftercare.Testing;

/// <summary>
/// Prism mocking an OpenAPI document on a free loopback port; by default Twilio's own 2010 API description. Use it as
/// an xunit class fixture: the 1.9 MB document loads once per class. Prism answers 422/415/401 to requests that break
/// the document; requests it lets through but still finds fault with are listed in its sl-violations header, which
/// <see cref="CreateHttpClient"/> records (<see cref="PrismRecorder"/>).
/// </summary>
/// <remarks>
/// Prism is not started with --errors: Twilio's own list example has relative page URIs that break its "format: uri",
/// so --errors would turn every list into a 500. Response violations are the document's business; request violations
/// are ours, and the tests assert there are none.
/// </remarks>
public sealed class PrismServer : IAsyncLifetime
{
    private ChildProcess? _process;

    public PrismServer()
        : this(TwilioApiDocument)
    {
    }

    private PrismServer(string document) => Document = document;

    /// <summary>Prism for another OpenAPI document, outside an xunit fixture.</summary>
    public static async Task<PrismServer> StartAsync(string document)
    {
        var server = new PrismServer(document);
        await server.InitializeAsync();
        return server;
    }

    public static string TwilioApiDocument =>
        RepositoryPaths.NodeModule("@twilio", "cli-core", "src", "services", "twilio-api", "twilio_api_v2010.json");

    public string Document { get; }

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    public string Output => _process?.Output ?? string.Empty;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _process = ChildProcess.Start(
            RepositoryPaths.NodeBin("prism"),
            ["mock", "-h", "127.0.0.1", "-p", port.ToString(), Document]);
        await _process.WaitForOutputAsync("Prism is listening", TimeSpan.FromSeconds(120));
        BaseUri = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>An HttpClient that records every request and Prism's sl-violations header on its response.</summary>
    public HttpClient CreateHttpClient(PrismRecorder recorder) => new(CreateRecordingHandler(recorder));

    /// <summary>
    /// The recording handler on its own (over a <see cref="SocketsHttpHandler"/>), to put under another handler: the
    /// Twilio SDK's client is built over a handler chain of ours, and the recorder goes last, where the wire is.
    /// </summary>
    public static HttpMessageHandler CreateRecordingHandler(PrismRecorder recorder) =>
        new PrismRecordingHandler(recorder) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } };

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
