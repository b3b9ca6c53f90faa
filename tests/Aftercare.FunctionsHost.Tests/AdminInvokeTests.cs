using System.Net;
using System.Net.Http.Json;
using Aftercare.FunctionsHost.TestWorker.Functions;

namespace Aftercare.FunctionsHost.Tests;

public sealed class AdminInvokeTests
{
    [Fact]
    public async Task Posting_to_the_admin_endpoint_with_the_master_key_runs_the_function_and_answers_202()
    {
        await using var host = await LaunchedHost.StartAsync();

        using var response = await PostAsync(host, "admin/functions/Tick", host.Host.MasterKey, new { input = "" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(
            () => host.Host.Logs.Any(l => l.Message.StartsWith(TimerFunctions.Marker, StringComparison.Ordinal)),
            "the timer function to run");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("function")]
    public async Task Without_the_master_key_the_admin_endpoint_answers_401(string? key)
    {
        await using var host = await LaunchedHost.StartAsync();

        using var response = await PostAsync(host, "admin/functions/Tick", key == "function" ? host.Host.FunctionKey : null, new { input = "" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_function_is_404_and_an_http_function_is_400()
    {
        await using var host = await LaunchedHost.StartAsync();

        using var unknown = await PostAsync(host, "admin/functions/Nothing", host.Host.MasterKey, new { input = "" });
        using var http = await PostAsync(host, "admin/functions/Echo", host.Host.MasterKey, new { input = "" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostAsync(LaunchedHost host, string path, string? key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        return await host.Http.SendAsync(request);
    }
}
