namespace Aftercare.FunctionsHost;

/// <summary>A worker that finished its handshake.</summary>
/// <param name="WorkerId">The id the worker opened its stream with.</param>
/// <param name="ProcessId">Its process id; null when it runs attached in this process.</param>
/// <param name="Functions">The functions it loaded, by name.</param>
/// <param name="Errors">Function name → why it is not served (indexing or load error, reserved or conflicting route).</param>
public sealed record WorkerInfo(string WorkerId, int? ProcessId, IReadOnlyList<string> Functions, IReadOnlyDictionary<string, string> Errors);
