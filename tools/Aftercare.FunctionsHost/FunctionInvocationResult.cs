namespace Aftercare.FunctionsHost;

/// <summary>The outcome of one invocation, from the worker's <c>InvocationResponse</c>.</summary>
/// <param name="InvocationId">The id the host gave the invocation (a GUID).</param>
/// <param name="Succeeded">True when the worker reported Success.</param>
/// <param name="ErrorMessage">The exception message the worker reported, or why the host could not get an answer; null on success.</param>
/// <param name="ErrorType">The exception's type name, when the worker reported one.</param>
public sealed record FunctionInvocationResult(string InvocationId, bool Succeeded, string? ErrorMessage, string? ErrorType = null);
