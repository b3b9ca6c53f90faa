using System.Text.Json;
using Aftercare.FunctionsHost.App;
using Aftercare.FunctionsHost.Functions;
using Aftercare.FunctionsHost.Rpc;
using Azure;

namespace Aftercare.FunctionsHost.Queues;

/// <summary>
/// Writes a successful invocation's queue outputs: <c>return_value</c> to the <c>$return</c> binding and each
/// <c>output_data</c> entry to the binding of its name, one queue message per element as azure-functions-host's
/// FunctionBinding.ReadAsEnumerable / BindAsyncCollectorAsync split them: a collection (collection_string,
/// collection_bytes) or a JSON array (json, or string text that is JSON) gives one message per element; anything else
/// one message. The queue is created if missing (the WebJobs queue collector does the same on its first add), and
/// this host's listener on it is told to poll now (<see cref="QueueWatcher"/>).
/// </summary>
internal sealed class QueueOutputWriter(QueueClients clients, AppSettings settings, QueueWatcher watcher)
{
    /// <summary>Writes every output the worker returned, binding by binding, in order.</summary>
    /// <exception cref="RequestFailedException">Storage refused a write; earlier messages stay written.</exception>
    /// <exception cref="InvalidOperationException">A queue name or connection setting does not resolve.</exception>
    public async Task WriteAsync(FunctionDescriptor function, InvocationResponse response, CancellationToken cancellationToken)
    {
        foreach (var output in function.QueueOutputs)
        {
            var data = output.Name == QueueOutputBinding.ReturnName
                ? response.ReturnValue
                : response.OutputData.FirstOrDefault(o => string.Equals(o.Name, output.Name, StringComparison.OrdinalIgnoreCase))?.Data;
            var messages = MessagesOf(data);
            if (messages.Count == 0)
            {
                continue;
            }

            var queue = clients.Get(output.Connection, settings.ResolveWholeString(output.QueueName));
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            foreach (var message in messages)
            {
                await queue.SendMessageAsync(message, cancellationToken: cancellationToken);
            }

            watcher.Notify(queue.Name);
        }
    }

    /// <summary>The messages one output value stands for (empty for no value).</summary>
    internal static IReadOnlyList<BinaryData> MessagesOf(TypedData? data) => data?.DataCase switch
    {
        TypedData.DataOneofCase.String => FromText(data.String),
        TypedData.DataOneofCase.Json => FromText(data.Json),
        TypedData.DataOneofCase.Bytes => [BinaryData.FromBytes(data.Bytes.ToByteArray())],
        TypedData.DataOneofCase.CollectionString => [.. data.CollectionString.String.Select(BinaryData.FromString)],
        TypedData.DataOneofCase.CollectionBytes => [.. data.CollectionBytes.Bytes.Select(b => BinaryData.FromBytes(b.ToByteArray()))],
        _ => [],
    };

    private static IReadOnlyList<BinaryData> FromText(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
        {
            try
            {
                using var array = JsonDocument.Parse(trimmed);
                return [.. array.RootElement.EnumerateArray().Select(e => BinaryData.FromString(
                    e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()))];
            }
            catch (JsonException)
            {
                // Not JSON after all: one message, as written.
            }
        }

        return [BinaryData.FromString(text)];
    }
}
