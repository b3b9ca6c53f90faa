using Aftercare.FunctionsHost.Rpc;

namespace Aftercare.FunctionsHost.Functions;

/// <summary>
/// A function as the worker indexed it: its worker-generated id (the id every request about it must carry), its
/// trigger, its queue output bindings, and the metadata the host echoes back in its <see cref="FunctionLoadRequest"/>.
/// </summary>
internal sealed record FunctionDescriptor(
    string Name, string FunctionId, TriggerBinding Trigger, IReadOnlyList<QueueOutputBinding> QueueOutputs, RpcFunctionMetadata Metadata)
{
    /// <exception cref="InvalidOperationException">The metadata names no trigger.</exception>
    public static FunctionDescriptor From(RpcFunctionMetadata metadata) =>
        new(metadata.Name, metadata.FunctionId, TriggerBinding.Parse(metadata.Name, metadata.RawBindings), QueueOutputBinding.Parse(metadata.RawBindings), metadata);

    /// <summary>
    /// The load request as azure-functions-host's GrpcWorkerChannel.GetFunctionLoadRequest builds it: name,
    /// directory, entry point, script file, bindings and properties.
    /// </summary>
    public FunctionLoadRequest ToLoadRequest()
    {
        var request = new FunctionLoadRequest
        {
            FunctionId = FunctionId,
            Metadata = new RpcFunctionMetadata
            {
                Name = Metadata.Name,
                Directory = Metadata.Directory,
                EntryPoint = Metadata.EntryPoint,
                ScriptFile = Metadata.ScriptFile,
                IsProxy = false,
            },
        };
        request.Metadata.Bindings.Add(Metadata.Bindings);
        request.Metadata.Properties.Add(Metadata.Properties);
        return request;
    }
}
