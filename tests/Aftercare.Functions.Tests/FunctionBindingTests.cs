using System.Text.Json;
using Aftercare.Functions.Hosting;
using Aftercare.Testing;
using Microsoft.AspNetCore.Routing;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>Every function.json has a handler route, every handler route has a function.json, and the host config fits.</summary>
public sealed class FunctionBindingTests
{
    private static readonly string FunctionsDirectory = Path.Combine(RepositoryPaths.Root, "functions");
    private static readonly string[] AuthLevels = ["anonymous", "function", "admin"];

    [Fact]
    public void Every_function_json_matches_a_handler_route_and_every_route_has_a_function()
    {
        var declared = Directory.EnumerateFiles(FunctionsDirectory, "function.json", SearchOption.AllDirectories)
            .SelectMany(DeclaredRoutes)
            .Order(StringComparer.Ordinal)
            .ToList();
        var handled = HandlerRoutes().Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(declared);
        Assert.Equal(handled, declared);
    }

    [Fact]
    public void Http_functions_avoid_the_hosts_reserved_routes_and_state_an_auth_level()
    {
        foreach (var file in Directory.EnumerateFiles(FunctionsDirectory, "function.json", SearchOption.AllDirectories))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var binding in json.RootElement.GetProperty("bindings").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "httpTrigger"))
            {
                var route = binding.GetProperty("route").GetString()!;
                Assert.False(route.StartsWith("admin", StringComparison.OrdinalIgnoreCase), $"{file}: the Functions host reserves routes starting with 'admin'");
                Assert.False(route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase), $"{file}: the Functions host reserves routes starting with 'runtime'");
                Assert.Contains(binding.GetProperty("authLevel").GetString(), AuthLevels);
            }
        }
    }

    [Fact]
    public void Host_json_runs_the_handler_as_a_custom_handler_with_http_proxying()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));
        var handler = json.RootElement.GetProperty("customHandler");
        Assert.Equal("handler/Aftercare.Functions", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.True(handler.GetProperty("enableProxyingHttpRequest").GetBoolean());
        Assert.Equal("api", json.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    private static IEnumerable<string> DeclaredRoutes(string file)
    {
        var functionName = Path.GetFileName(Path.GetDirectoryName(file))!;
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var trigger = json.RootElement.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "in");
        switch (trigger.GetProperty("type").GetString())
        {
            case "httpTrigger":
                var route = "/api/" + trigger.GetProperty("route").GetString();
                return trigger.GetProperty("methods").EnumerateArray().Select(m => $"{m.GetString()!.ToUpperInvariant()} {route}").ToList();
            case "timerTrigger":
                return [$"POST /{functionName}"];
            default:
                throw new InvalidOperationException($"{file}: unexpected trigger");
        }
    }

    private static IEnumerable<string> HandlerRoutes()
    {
        var builder = AftercareApplication.CreateBuilder([]);
        builder.Configuration["Aftercare:Storage:ConnectionString"] = "UseDevelopmentStorage=true";
        builder.Configuration["Aftercare:Dispatch:RunInProcess"] = "false";
        var app = AftercareApplication.Build(builder);
        return ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(method => $"{method} {Normalise(endpoint.RoutePattern.RawText!)}"));
    }

    private static string Normalise(string pattern)
    {
        var trimmed = pattern.TrimEnd('/');
        return trimmed.StartsWith('/') ? trimmed : "/" + trimmed;
    }
}
