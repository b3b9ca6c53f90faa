using Aftercare.FunctionsHost.App;
using Aftercare.FunctionsHost.Queues;
using Aftercare.FunctionsHost.Rpc;
using Azure.Storage.Queues;
using Google.Protobuf;

namespace Aftercare.FunctionsHost.Tests;

public sealed class QueuesOptionsTests : IDisposable
{
    private readonly DirectoryInfo _app = Directory.CreateTempSubdirectory("queues-options-");

    [Fact]
    public void Without_host_json_the_real_defaults_apply()
    {
        var options = QueuesOptions.Read(_app.FullName, new AppSettings(new Dictionary<string, string?>()));

        Assert.Equal(
            new QueuesOptions(16, 16 / 2 * Environment.ProcessorCount, TimeSpan.FromMinutes(1), TimeSpan.Zero, 5, QueueMessageEncoding.Base64),
            options);
    }

    [Fact]
    public void Host_json_is_read_and_an_app_setting_wins_over_it()
    {
        File.WriteAllText(Path.Combine(_app.FullName, "host.json"), """
            { "version": "2.0", "extensions": { "queues": {
                "batchSize": 4, "newBatchThreshold": 1, "maxPollingInterval": "00:00:02", "visibilityTimeout": "00:00:30",
                "maxDequeueCount": 2, "messageEncoding": "none" } } }
            """);
        var settings = new AppSettings(new Dictionary<string, string?> { ["AzureFunctionsJobHost__extensions__queues__batchSize"] = "8" });

        var options = QueuesOptions.Read(_app.FullName, settings);

        Assert.Equal(new QueuesOptions(8, 1, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), 2, QueueMessageEncoding.None), options);
    }

    [Theory]
    [InlineData("batchSize", "33")]
    [InlineData("batchSize", "0")]
    [InlineData("maxPollingInterval", "00:00:00.050")]
    [InlineData("maxDequeueCount", "0")]
    [InlineData("messageEncoding", "utf8")]
    [InlineData("visibilityTimeout", "soon")]
    public void A_value_out_of_the_real_range_is_refused(string name, string value)
    {
        var settings = new AppSettings(new Dictionary<string, string?> { ["AzureFunctionsJobHost__extensions__queues__" + name] = value });

        var error = Assert.Throws<InvalidOperationException>(() => QueuesOptions.Read(_app.FullName, settings));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_split_into_messages_as_the_real_host_splits_them()
    {
        var collection = new TypedData { CollectionString = new CollectionString() };
        collection.CollectionString.String.Add(["a", "b"]);
        var bytes = new TypedData { CollectionBytes = new CollectionBytes() };
        bytes.CollectionBytes.Bytes.Add(ByteString.CopyFromUtf8("x"));

        Assert.Equal(["a", "b"], Texts(collection));
        Assert.Equal(["x"], Texts(bytes));
        Assert.Equal(["""{"id":1}""", "two"], Texts(new TypedData { Json = """[{"id":1},"two"]""" }));
        Assert.Equal(["""{"id":1}"""], Texts(new TypedData { Json = """{"id":1}""" }));
        Assert.Equal(["[not json]"], Texts(new TypedData { String = "[not json]" }));
        Assert.Equal(["plain"], Texts(new TypedData { String = "plain" }));
        Assert.Empty(Texts(new TypedData()));
        Assert.Empty(Texts(null));
    }

    public void Dispose() => _app.Delete(recursive: true);

    private static List<string> Texts(TypedData? data) => [.. QueueOutputWriter.MessagesOf(data).Select(m => m.ToString())];
}
