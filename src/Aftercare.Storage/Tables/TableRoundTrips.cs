using Azure.Core;
using Azure.Core.Pipeline;

namespace Aftercare.Storage.Tables;

/// <summary>
/// Counts the requests a Table service client makes: one per call, so an entity-group transaction is one round trip,
/// each page of a query is one, and the pipeline's own retries of a call are not counted again. Add it to a client's
/// options as a per-call policy (<c>options.AddPolicy(roundTrips, HttpPipelinePosition.PerCall)</c>, which
/// <see cref="TableStorageRegistration.AddAftercareTableServiceClient"/> does); read the running <see cref="Total"/>, or
/// attribute calls to one operation with <see cref="BeginScope"/>. Thread-safe; one instance may serve many clients.
/// </summary>
public sealed class TableRoundTrips : HttpPipelinePolicy
{
    private readonly AsyncLocal<TableRoundTripScope?> _current = new();
    private long _total;

    /// <summary>Every call counted since this instance was created.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>
    /// Starts counting the calls made from here on in this asynchronous flow (and the flows it starts) until the scope is
    /// disposed, e.g. "this registration took N". Scopes nest: a call counts in the innermost scope and every enclosing
    /// one. Calls from unrelated flows, such as a concurrent request, are not counted.
    /// </summary>
    public TableRoundTripScope BeginScope()
    {
        var scope = new TableRoundTripScope(this, _current.Value);
        _current.Value = scope;
        return scope;
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count();
        return ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count();
        ProcessNext(message, pipeline);
    }

    internal void End(TableRoundTripScope scope)
    {
        if (ReferenceEquals(_current.Value, scope))
        {
            _current.Value = scope.Parent;
        }
    }

    private void Count()
    {
        Interlocked.Increment(ref _total);
        for (var scope = _current.Value; scope is not null; scope = scope.Parent)
        {
            scope.Count();
        }
    }
}
