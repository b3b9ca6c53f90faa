using System.Globalization;

namespace Aftercare.FunctionsHost.Worker;

/// <summary>
/// What the host hands a worker: both argument sets azure-functions-host passes (RpcWorkerContext.GetFormattedArguments;
/// Worker 2.x reads only the <c>--functions-*</c> set) and the environment RpcWorkerProcess sets.
/// </summary>
internal static class WorkerArguments
{
    /// <summary>RpcWorkerConstants.DefaultMaxMessageLengthBytes in azure-functions-host.</summary>
    public const int MaxMessageLength = int.MaxValue;

    public static IReadOnlyList<string> For(Uri grpcUri, string workerId, string requestId)
    {
        var maxLength = MaxMessageLength.ToString(CultureInfo.InvariantCulture);
        return
        [
            "--host", grpcUri.Host,
            "--port", grpcUri.Port.ToString(CultureInfo.InvariantCulture),
            "--workerId", workerId,
            "--requestId", requestId,
            "--grpcMaxMessageLength", maxLength,
            "--functions-uri", grpcUri.AbsoluteUri,
            "--functions-worker-id", workerId,
            "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", maxLength,
        ];
    }

    /// <summary>
    /// Arguments for a worker built inside another process (attach mode). Worker 2.x maps the <c>--functions-*</c>
    /// switches only from the process's own command line (WorkerHostBuilderExtensions.RegisterCommandLine reads
    /// Environment.GetCommandLineArgs()), so the same values follow as configuration keys
    /// (<c>--Functions:Worker:HostEndpoint</c> …), which <c>FunctionsApplication.CreateBuilder(args)</c> reads through
    /// its default command-line configuration.
    /// </summary>
    public static IReadOnlyList<string> ForAttachedWorker(Uri grpcUri, string workerId, string requestId) =>
    [
        .. For(grpcUri, workerId, requestId),
        "--Functions:Worker:HostEndpoint", grpcUri.AbsoluteUri,
        "--Functions:Worker:WorkerId", workerId,
        "--Functions:Worker:RequestId", requestId,
        "--Functions:Worker:GrpcMaxMessageLength", MaxMessageLength.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>
    /// <c>FUNCTIONS_APPLICATION_DIRECTORY</c> and <c>FUNCTIONS_WORKER_DIRECTORY</c> (the worker reads them with
    /// Environment.GetEnvironmentVariable to find its assembly and host.json), <c>AzureWebJobsScriptRoot</c>, and
    /// <c>FUNCTIONS_WORKER_RUNTIME</c> as Azure sets it for this kind of app.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(string appDirectory) => new Dictionary<string, string>
    {
        ["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory,
        ["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory,
        ["AzureWebJobsScriptRoot"] = appDirectory,
        ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
    };
}
