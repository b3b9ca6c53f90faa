using System.Text.Json.Serialization;

namespace Aftercare.Functions.Functions;

/// <summary>
/// One queue message of the dispatch fan-out, as JSON: <c>{"shard":7}</c>, the due-index shard to drain (0 to
/// <c>Aftercare__Dispatch__Shards</c> − 1). It carries no time: a drain sends whatever is due when it runs, so a work
/// item that waited in the queue is still right.
/// </summary>
/// <param name="Shard">The shard to drain.</param>
internal sealed record ShardWorkItem([property: JsonPropertyName("shard")] int Shard);
