using System.Text.Json;
using Aftercare.FunctionsHost.Functions;
using Aftercare.FunctionsHost.Invocation;
using Aftercare.FunctionsHost.Rpc;
using Azure.Storage.Queues.Models;
using Google.Protobuf;

namespace Aftercare.FunctionsHost.Queues;

/// <summary>
/// A queue-triggered function's <c>InvocationRequest</c> as the real host builds it. The input is the decoded message:
/// <c>string</c> for <c>dataType: String</c>, <c>bytes</c> for <c>Binary</c>, otherwise <c>json</c> when the text is a
/// JSON object or array (the queue extension binds such text as a JObject) and <c>string</c> when it is not. The trigger
/// metadata is the queue extension's binding data (QueueTriggerBindingDataProvider): <c>QueueTrigger</c>, <c>Id</c> and
/// <c>PopReceipt</c> as strings, <c>DequeueCount</c> and the times (<c>InsertionTime</c>, <c>ExpirationTime</c>,
/// <c>NextVisibleTime</c>, ISO 8601 with offset) as JSON, as the host's ToRpc serializes non-string values.
/// </summary>
internal static class QueueInvocation
{
    public static InvocationRequest Create(FunctionDescriptor function, QueueTriggerBinding trigger, QueueMessage message)
    {
        var body = message.Body.ToString();
        var request = Create(function, trigger, message.Body.ToArray(), body);
        request.TriggerMetadata.Add("Id", new TypedData { String = message.MessageId });
        request.TriggerMetadata.Add("PopReceipt", new TypedData { String = message.PopReceipt });
        request.TriggerMetadata.Add("DequeueCount", new TypedData { Json = JsonSerializer.Serialize(message.DequeueCount) });
        AddTime(request, "InsertionTime", message.InsertedOn);
        AddTime(request, "ExpirationTime", message.ExpiresOn);
        AddTime(request, "NextVisibleTime", message.NextVisibleOn);
        return request;
    }

    /// <summary>An on-demand run: <paramref name="body"/> stands for the message text; only <c>QueueTrigger</c> is in the metadata.</summary>
    public static InvocationRequest Create(FunctionDescriptor function, QueueTriggerBinding trigger, string? body) =>
        Create(function, trigger, System.Text.Encoding.UTF8.GetBytes(body ?? string.Empty), body ?? string.Empty);

    private static InvocationRequest Create(FunctionDescriptor function, QueueTriggerBinding trigger, byte[] bytes, string text)
    {
        var request = new InvocationRequest
        {
            InvocationId = Guid.NewGuid().ToString(),
            FunctionId = function.FunctionId,
            TraceContext = TraceContextFactory.Create(null, null),
        };
        var input = trigger.DataType?.ToUpperInvariant() switch
        {
            "STRING" => new TypedData { String = text },
            "BINARY" => new TypedData { Bytes = ByteString.CopyFrom(bytes) },
            _ when IsJson(text) => new TypedData { Json = text },
            _ => new TypedData { String = text },
        };
        request.InputData.Add(new ParameterBinding { Name = trigger.Name, Data = input });
        request.TriggerMetadata.Add("QueueTrigger", new TypedData { String = text });
        return request;
    }

    private static void AddTime(InvocationRequest request, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            request.TriggerMetadata.Add(name, new TypedData { Json = JsonSerializer.Serialize(value) });
        }
    }

    private static bool IsJson(string text)
    {
        var trimmed = text.Trim();
        return (trimmed.StartsWith('{') && trimmed.EndsWith('}')) || (trimmed.StartsWith('[') && trimmed.EndsWith(']'));
    }
}
