using Aftercare.FunctionsHost.Functions;

namespace Aftercare.FunctionsHost.Http;

/// <summary>Endpoint metadata naming the HTTP function an endpoint serves and the level of key it asks for.</summary>
internal sealed record HttpFunctionMetadata(string FunctionName, AuthorizationLevel AuthLevel);

/// <summary>Endpoint metadata marking the host's own endpoints (everything else routing produces is answered 404).</summary>
internal sealed record HostEndpointMetadata;
