using Aftercare.FunctionsHost.Rpc;

namespace Aftercare.FunctionsHost.Grpc;

/// <summary>
/// How an answer from the worker is matched to the request that asked for it: by message kind and the id the
/// protocol pairs them with (function id for loads, invocation id for invocations).
/// </summary>
internal static class AnswerKey
{
    public const string WorkerInit = "init";
    public const string FunctionMetadata = "metadata";

    public static string FunctionLoad(string functionId) => "load:" + functionId;

    public static string Invocation(string invocationId) => "invocation:" + invocationId;

    /// <summary>
    /// A message with no content that echoes a request id. The .NET worker sends one after handling a request that has
    /// no response type (<c>WorkerTerminate</c>: after it has called <c>StopApplication</c>); see
    /// <c>GrpcWorker.ProcessRequestCoreAsync</c> in Azure/azure-functions-dotnet-worker.
    /// </summary>
    public static string Acknowledgement(string requestId) => "ack:" + requestId;

    public static string? For(StreamingMessage message) => message.ContentCase switch
    {
        StreamingMessage.ContentOneofCase.WorkerInitResponse => WorkerInit,
        StreamingMessage.ContentOneofCase.FunctionMetadataResponse => FunctionMetadata,
        StreamingMessage.ContentOneofCase.FunctionLoadResponse => FunctionLoad(message.FunctionLoadResponse.FunctionId),
        StreamingMessage.ContentOneofCase.InvocationResponse => Invocation(message.InvocationResponse.InvocationId),
        StreamingMessage.ContentOneofCase.None when message.RequestId.Length > 0 => Acknowledgement(message.RequestId),
        _ => null,
    };
}
