using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Aftercare.FunctionsHost.Tests;

public sealed class HttpProxyTests
{
    private static readonly int[] IgnoredArray = [1];

    [Fact]
    public async Task The_raw_request_reaches_the_worker()
    {
        await using var host = await LaunchedHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, "api/echo/a/b?x=1%202&y=%2F&z=caf%C3%A9&x=3")
        {
            Content = new StringContent("{\"text\":\"héllo\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Probe", "probe value");

        using var response = await host.Http.SendAsync(request);
        var echo = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("PUT", echo.GetProperty("method").GetString());
        Assert.Equal("/api/echo/a/b", echo.GetProperty("path").GetString());
        Assert.Equal("?x=1%202&y=%2F&z=caf%C3%A9&x=3", echo.GetProperty("rawQuery").GetString());
        Assert.Equal("a/b", echo.GetProperty("rest").GetString());
        Assert.Equal("{\"text\":\"héllo\"}", echo.GetProperty("body").GetString());
        var headers = echo.GetProperty("headers");
        Assert.Equal("probe value", headers.GetProperty("X-Probe").GetString());
        Assert.Equal("application/json; charset=utf-8", headers.GetProperty("Content-Type").GetString());
        Assert.True(Guid.TryParse(headers.GetProperty("x-ms-invocation-id").GetString(), out _));
        // The host's X-Forwarded-* headers let the worker restore the host the client called.
        Assert.Equal($"127.0.0.1:{host.Host.BaseAddress.Port}", headers.GetProperty("Host").GetString());
    }

    [Theory]
    [InlineData(201)]
    [InlineData(418)]
    [InlineData(503)]
    public async Task The_function_s_status_code_and_body_come_back(int code)
    {
        await using var host = await LaunchedHost.StartAsync();

        using var response = await host.Http.GetAsync($"api/status/{code}");

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal($"status {code}", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Routes_match_as_the_worker_matches_them()
    {
        await using var host = await LaunchedHost.StartAsync();

        var get = await host.Http.GetFromJsonAsync<JsonElement>("api/items/42");
        using var delete = await host.Http.DeleteAsync("api/items/42");
        var deleted = await delete.Content.ReadFromJsonAsync<JsonElement>();
        var optionalMissing = await host.Http.GetFromJsonAsync<JsonElement>("api/optional");
        var optionalGiven = await host.Http.GetFromJsonAsync<JsonElement>("api/optional/given");
        var catchAll = await host.Http.GetFromJsonAsync<JsonElement>("api/echo/x/y/z");

        Assert.Equal((42, "get"), (get.GetProperty("id").GetInt32(), get.GetProperty("kind").GetString()));
        Assert.Equal((42, "delete"), (deleted.GetProperty("id").GetInt32(), deleted.GetProperty("kind").GetString()));
        Assert.Equal(JsonValueKind.Null, optionalMissing.GetProperty("name").ValueKind);
        Assert.Equal("given", optionalGiven.GetProperty("name").GetString());
        Assert.Equal("x/y/z", catchAll.GetProperty("rest").GetString());
    }

    [Theory]
    [InlineData("api/Plain")]
    [InlineData("api/plain")]
    [InlineData("API/PLAIN")]
    public async Task A_function_without_a_route_is_served_at_its_name_case_insensitively(string path)
    {
        await using var host = await LaunchedHost.StartAsync();

        using var response = await host.Http.PostAsync(path, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "api/items/abc")] // {id:int} does not match
    [InlineData("GET", "api/nothing-here")]
    [InlineData("GET", "items/42")] // no route prefix
    [InlineData("POST", "api/items/42")] // a known route, another method: the real host's router answers 404
    [InlineData("GET", "api/status/200/more")]
    public async Task What_matches_no_function_is_404(string method, string path)
    {
        await using var host = await LaunchedHost.StartAsync();

        using var response = await host.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Function_parameters_bind_from_the_body_the_query_and_the_route()
    {
        await using var host = await LaunchedHost.StartAsync();

        // With a Content-Length, as the real host reads the body for binding data only then.
        using var body = new StringContent(JsonSerializer.Serialize(new { who = "from body", ignored = IgnoredArray }), Encoding.UTF8, "application/json");
        using var response = await host.Http.PostAsync("api/bind?q=from%20query", body);
        var bound = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("from body", bound.GetProperty("who").GetString());
        Assert.Equal("from query", bound.GetProperty("q").GetString());
    }

    [Fact]
    public async Task Trigger_metadata_is_built_as_the_real_host_builds_it()
    {
        await using var host = await LaunchedHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/metadata/route-value?x=1&x=2&code=secret")
        {
            Content = new StringContent("{\"name\":\"body\",\"nested\":{\"a\":1},\"list\":[1],\"flag\":true,\"id\":\"from body\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Probe", "probe");

        using var response = await host.Http.SendAsync(request);
        var metadata = await response.Content.ReadFromJsonAsync<Dictionary<string, string?>>();

        Assert.NotNull(metadata);
        Assert.Equal("body", metadata["name"]);
        Assert.Equal("True", metadata["flag"]);
        Assert.Equal(1, JsonDocument.Parse(metadata["nested"]!).RootElement.GetProperty("a").GetInt32());
        Assert.False(metadata.ContainsKey("list")); // arrays are left out
        Assert.Equal("2", metadata["x"]); // the last query value wins
        Assert.False(metadata.ContainsKey("code")); // the key is not binding data
        Assert.Equal("route-value", metadata["id"]); // route values override body and query
        var query = JsonDocument.Parse(metadata["Query"]!).RootElement;
        Assert.Equal(("2", "secret"), (query.GetProperty("x").GetString(), query.GetProperty("code").GetString()));
        var headers = JsonDocument.Parse(metadata["Headers"]!).RootElement;
        Assert.Equal("probe", headers.GetProperty("X-Probe").GetString());
    }

    [Fact]
    public async Task A_function_that_throws_answers_500()
    {
        await using var host = await LaunchedHost.StartAsync();

        using var response = await host.Http.GetAsync("api/throw");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(host.HostLogs.Lines, l => l.Contains("Executed 'Functions.Throw' (Failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_invocation_continues_the_caller_s_trace()
    {
        await using var host = await LaunchedHost.StartAsync();
        using var traced = new HttpRequestMessage(HttpMethod.Get, "api/trace");
        traced.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        traced.Headers.Add("tracestate", "vendor=value");

        using var response = await host.Http.SendAsync(traced);
        var withCaller = await response.Content.ReadFromJsonAsync<JsonElement>();
        var withoutCaller = await host.Http.GetFromJsonAsync<JsonElement>("api/trace");

        var parent = withCaller.GetProperty("traceParent").GetString()!.Split('-');
        Assert.Equal(["00", "0af7651916cd43dd8448eb211c80319c"], parent[..2]);
        Assert.NotEqual("b7ad6b7169203331", parent[2]);
        Assert.Equal("01", parent[3]);
        Assert.Equal("vendor=value", withCaller.GetProperty("traceState").GetString());
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}\\z", withoutCaller.GetProperty("traceParent").GetString());
    }

    [Fact]
    public async Task A_function_route_in_the_host_s_own_space_is_refused()
    {
        await using var host = await LaunchedHost.StartAsync();

        using var response = await host.Http.GetAsync("api/admin/reserved");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("The specified route conflicts with one or more built in routes.", host.Worker.Errors["Reserved"]);
    }
}
