using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost;

/// <summary>
/// One log line from the worker, whole: an <c>RpcLog</c> message it sent over gRPC, or a line it wrote to its
/// standard output or error (a launched worker only).
/// </summary>
/// <param name="Timestamp">When the host received it (UTC).</param>
/// <param name="Category">The RpcLog category (e.g. <c>Function.Echo.User</c>), or <c>Worker.Console</c> for output lines.</param>
/// <param name="Level">The RpcLog level; output lines are <see cref="LogLevel.Information"/>.</param>
/// <param name="Message">The message exactly as the worker sent it.</param>
/// <param name="Exception">The exception's type, message and stack trace, when the worker sent one.</param>
/// <param name="InvocationId">The invocation the line belongs to, when it belongs to one.</param>
public sealed record WorkerLogEntry(
    DateTimeOffset Timestamp,
    string Category,
    LogLevel Level,
    string Message,
    string? Exception,
    string? InvocationId)
{
    /// <summary>The category of lines the worker wrote to its standard output or error.</summary>
    public const string ConsoleCategory = "Worker.Console";

    /// <inheritdoc/>
    public override string ToString() =>
        Exception is null ? $"[{Level}] {Category}: {Message}" : $"[{Level}] {Category}: {Message}\n{Exception}";
}
