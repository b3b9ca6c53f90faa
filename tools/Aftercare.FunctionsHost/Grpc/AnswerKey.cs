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

    public static string? For(StreamingMessage message) => message.ContentCase switch
    {
        StreamingMessage.ContentOneofCase.WorkerInitResponse => WorkerInit,
        StreamingMessage.ContentOneofCase.FunctionMetadataResponse => FunctionMetadata,
        StreamingMessage.ContentOneofCase.FunctionLoadResponse => FunctionLoad(message.FunctionLoadResponse.FunctionId),
        StreamingMessage.ContentOneofCase.InvocationResponse => Invocation(message.InvocationResponse.InvocationId),
        _ => null,
    };
}
