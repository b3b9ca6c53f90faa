using System.Net;

namespace Aftercare.FunctionsHost.Tests;

public sealed class AuthorizationTests
{
    [Theory]
    [InlineData("api/secure/function", null)]
    [InlineData("api/secure/function", "wrong")]
    [InlineData("api/secure/admin", null)]
    [InlineData("api/secure/admin", "wrong")]
    public async Task Without_the_right_key_the_answer_is_401_with_an_empty_body(string path, string? key)
    {
        await using var host = await LaunchedHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_function_level_route_takes_the_function_key_or_the_master_key_in_the_header_or_the_code_query()
    {
        await using var host = await LaunchedHost.StartAsync();
        var functionKey = Uri.EscapeDataString(host.Host.FunctionKey);
        var masterKey = Uri.EscapeDataString(host.Host.MasterKey);

        Assert.Equal(HttpStatusCode.OK, await GetAsync(host, "api/secure/function", headerKey: host.Host.FunctionKey));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(host, "api/secure/function", headerKey: host.Host.MasterKey));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(host, $"api/secure/function?code={functionKey}"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(host, $"api/secure/function?code={masterKey}"));
    }

    [Fact]
    public async Task The_header_key_wins_over_the_code_query()
    {
        await using var host = await LaunchedHost.StartAsync();

        var status = await GetAsync(host, $"api/secure/function?code={Uri.EscapeDataString(host.Host.FunctionKey)}", headerKey: "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task An_admin_level_route_takes_only_the_master_key()
    {
        await using var host = await LaunchedHost.StartAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(host, "api/secure/admin", headerKey: host.Host.FunctionKey));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(host, "api/secure/admin", headerKey: host.Host.MasterKey));
    }

    [Fact]
    public async Task Anonymous_routes_need_no_key()
    {
        await using var host = await LaunchedHost.StartAsync();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(host, "api/echo/open"));
    }

    [Fact]
    public async Task Keys_used_in_requests_never_reach_the_logs()
    {
        await using var host = await LaunchedHost.StartAsync();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(host, $"api/secure/function?code={Uri.EscapeDataString(host.Host.FunctionKey)}"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(host, "api/secure/admin", headerKey: host.Host.MasterKey));
        var result = await host.Host.InvokeAsync("Tick");

        // The worker's own logs are the app's (its ASP.NET Core request logs carry the query string): only the host's are checked.
        var fromWorker = host.Host.Logs.Select(e => $"{e.Category}|{e.Level}|{e.Message}").ToList();
        var hostLines = host.HostLogs.Lines.Where(l => !fromWorker.Any(w => l.StartsWith(w, StringComparison.Ordinal))).ToList();
        Assert.True(result.Succeeded);
        Assert.Contains(hostLines, l => l.StartsWith("Host.Function|", StringComparison.Ordinal));
        Assert.DoesNotContain(hostLines, l => l.Contains(host.Host.FunctionKey, StringComparison.Ordinal) || l.Contains(host.Host.MasterKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_come_from_the_options_when_given()
    {
        await using var host = new FunctionsHost(new FunctionsHostOptions
        {
            AppDirectory = TestWorkerOutput.Directory,
            FunctionKey = "given-function-key",
            MasterKey = "given-master-key",
        });

        Assert.Equal(("given-function-key", "given-master-key"), (host.FunctionKey, host.MasterKey));
    }

    [Fact]
    public async Task Generated_keys_differ_per_host_and_between_function_and_master()
    {
        await using var first = new FunctionsHost(new FunctionsHostOptions { AppDirectory = TestWorkerOutput.Directory });
        await using var second = new FunctionsHost(new FunctionsHostOptions { AppDirectory = TestWorkerOutput.Directory });

        Assert.Equal(4, new[] { first.FunctionKey, first.MasterKey, second.FunctionKey, second.MasterKey }.Distinct().Count());
        Assert.All(new[] { first.FunctionKey, first.MasterKey }, key => Assert.Matches("^[A-Za-z0-9_-]{40,}\\z", key));
    }

    private static async Task<HttpStatusCode> GetAsync(LaunchedHost host, string path, string? headerKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (headerKey is not null)
        {
            request.Headers.Add("x-functions-key", headerKey);
        }

        using var response = await host.Http.SendAsync(request);
        return response.StatusCode;
    }
}
