using Aftercare.FunctionsHost.Functions;
using Aftercare.FunctionsHost.Grpc;

namespace Aftercare.FunctionsHost.Worker;

/// <summary>A worker that finished its handshake: its stream, its process (null when attached), its HTTP endpoint and functions.</summary>
/// <param name="HttpUri">Where the worker's ASP.NET Core integration listens (its <c>HttpUri</c> capability), or null without it.</param>
internal sealed record ReadyWorker(WorkerChannel Channel, int? ProcessId, Uri? HttpUri, FunctionCatalog Functions);
