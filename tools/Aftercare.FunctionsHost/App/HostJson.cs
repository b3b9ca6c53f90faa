namespace Aftercare.FunctionsHost.App;

/// <summary>
/// What this host reads from the app's <c>host.json</c>: <c>extensions.http.routePrefix</c> (default <c>api</c>),
/// read from the same file the worker's ASP.NET Core integration reads (FunctionsEndpointDataSource in
/// Azure/azure-functions-dotnet-worker), so both route alike.
/// </summary>
internal sealed record HostJson(string RoutePrefix)
{
    public const string FileName = "host.json";
    public const string DefaultRoutePrefix = "api";

    public static HostJson Read(string appDirectory)
    {
        var path = Path.Combine(appDirectory, FileName);
        if (!File.Exists(path))
        {
            return new HostJson(DefaultRoutePrefix);
        }

        using var document = JsonFile.Parse(path);
        var prefix = JsonFile.TryGetProperty(document.RootElement, "extensions", out var extensions)
            && JsonFile.TryGetProperty(extensions, "http", out var http)
                ? JsonFile.GetString(http, "routePrefix")
                : null;
        return new HostJson(prefix ?? DefaultRoutePrefix);
    }
}
