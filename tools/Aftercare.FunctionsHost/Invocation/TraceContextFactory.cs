using System.Diagnostics;
using Aftercare.FunctionsHost.Rpc;

namespace Aftercare.FunctionsHost.Invocation;

/// <summary>
/// The invocation's <c>trace_context</c>. The worker dereferences it, so it is never null. As in azure-functions-host,
/// where it is the host's own request activity (Activity.Current.Id), it continues the caller's W3C trace: same trace id
/// and flags, a new span id, the caller's <c>tracestate</c>. Without a valid incoming <c>traceparent</c> a new trace starts.
/// </summary>
internal static class TraceContextFactory
{
    public static RpcTraceContext Create(string? traceparent, string? tracestate)
    {
        var parent = ActivityContext.TryParse(traceparent, tracestate, isRemote: true, out var incoming) ? incoming : (ActivityContext?)null;
        var traceId = parent?.TraceId ?? ActivityTraceId.CreateRandom();
        var flags = parent?.TraceFlags ?? ActivityTraceFlags.Recorded;
        var spanId = ActivitySpanId.CreateRandom();
        return new RpcTraceContext
        {
            TraceParent = $"00-{traceId.ToHexString()}-{spanId.ToHexString()}-{(int)flags:x2}",
            TraceState = parent is null ? string.Empty : tracestate ?? string.Empty,
        };
    }
}
