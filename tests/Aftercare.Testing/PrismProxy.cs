namespace Aftercare.Testing;

/// <summary>
/// Prism in validation-proxy mode (<c>prism proxy &lt;document&gt; &lt;upstream&gt; --errors</c>) on a free loopback port:
/// every request is checked against the OpenAPI document before it is forwarded to the upstream, and every answer
/// against the document before it is returned. With <c>--errors</c> a request that breaks the document is answered by
/// Prism itself (401 for a missing security header, 422 otherwise) and never reaches the upstream, and a 2xx answer
/// (or any answer with a body) that breaks it becomes a 500 <see cref="ViolationsProblemType"/>; what Prism only warns
/// about (e.g. a 4xx status the document does not list) is in the response's <c>sl-violations</c> header.
/// </summary>
/// <remarks>
/// Prism parses a JSON request body and forwards it serialised again (<c>JSON.stringify</c>) with the caller's
/// <c>Content-Length</c>: a body meant to pass through byte for byte (a signed one) must be compact JSON whose
/// numbers and strings JavaScript writes back the same (no insignificant spaces, no escaped non-ASCII). It re-encodes
/// the query string too, but keeps the path exactly as sent.
/// </remarks>
public sealed class PrismProxy : IAsyncDisposable
{
    /// <summary>The problem type of Prism's own answer when it found a violation that --errors turns into an error.</summary>
    public const string ViolationsProblemType = "https://stoplight.io/prism/errors#VIOLATIONS";

    /// <summary>The start of every problem type Prism answers with itself.</summary>
    public const string PrismProblemTypePrefix = "https://stoplight.io/prism/errors#";

    private readonly ChildProcess _process;

    private PrismProxy(ChildProcess process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    /// <summary>Where to send requests; Prism forwards them to the upstream with the same path.</summary>
    public Uri BaseUri { get; }

    /// <summary>Prism's log: each request, what it forwarded and every violation it found.</summary>
    public string Output => _process.Output;

    /// <param name="document">The OpenAPI document to hold requests and answers to (a file path).</param>
    /// <param name="upstream">The server Prism forwards valid requests to.</param>
    public static async Task<PrismProxy> StartAsync(string document, Uri upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var port = FreePort.Next();
        var process = ChildProcess.Start(
            RepositoryPaths.NodeBin("prism"),
            ["proxy", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), document, upstream.ToString().TrimEnd('/'), "--errors"]);
        try
        {
            await process.WaitForOutputAsync("Prism is listening", TimeSpan.FromSeconds(120));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new PrismProxy(process, new Uri($"http://127.0.0.1:{port}"));
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
