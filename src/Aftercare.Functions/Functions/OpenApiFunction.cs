using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Aftercare.Functions.Functions;

/// <summary>
/// <c>GET /api/openapi.yaml</c> (anonymous): the OpenAPI 3.1 document of the clinic-facing API, exactly as committed in
/// <c>openapi/aftercare.yaml</c> and embedded in this assembly, so what is served is what the contract test checks the
/// app against.
/// </summary>
internal static class OpenApiFunction
{
    public const string Name = "GetOpenApiDocument";

    /// <summary>The YAML media type (RFC 9512).</summary>
    private const string YamlMediaType = "application/yaml";

    private static readonly Lazy<byte[]> Document = new(ReadDocument);

    [Function(Name)]
    public static IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.yaml")] HttpRequest request) =>
        TypedResults.Bytes(Document.Value, YamlMediaType);

    /// <summary>The embedded document's bytes.</summary>
    /// <exception cref="InvalidOperationException">The build did not embed it (the project file's EmbeddedResource).</exception>
    internal static byte[] ReadDocument()
    {
        using var stream = typeof(OpenApiFunction).Assembly.GetManifestResourceStream("openapi.yaml")
            ?? throw new InvalidOperationException("The OpenAPI document is not embedded in the worker (EmbeddedResource openapi.yaml).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
