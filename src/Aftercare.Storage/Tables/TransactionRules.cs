using Azure.Data.Tables;

namespace Aftercare.Storage.Tables;

/// <summary>
/// The shape Azure requires of an entity-group transaction ("Performing entity group transactions",
/// https://learn.microsoft.com/rest/api/storageservices/performing-entity-group-transactions): at most 100 actions, all
/// on one PartitionKey, each entity at most once, a payload of at most 4 MiB. Azure.Data.Tables checks none of these
/// (it refuses only an empty transaction, itself, before any request), and Azurite commits a transaction that spans
/// partitions, which Azure refuses.
/// </summary>
public static class TransactionRules
{
    public const int MaxActions = 100;

    /// <summary>4 MiB, in bytes of the request body.</summary>
    public const int MaxPayloadBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless the actions form a transaction Azure accepts, and every entity passes
    /// <see cref="EntityRules"/> (a delete, its keys only). Entities must be <see cref="TableEntity"/> instances.
    /// </summary>
    /// <param name="actions">The transaction, in order.</param>
    /// <param name="tableUri">The table's address (<see cref="TableClient.Uri"/>), which every action's request line repeats.</param>
    public static void Validate(IReadOnlyList<TableTransactionAction> actions, Uri tableUri)
    {
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(tableUri);
        if (actions.Count > MaxActions)
        {
            throw new ArgumentException($"A transaction holds at most {MaxActions} actions, not {actions.Count}.", nameof(actions));
        }

        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            ArgumentNullException.ThrowIfNull(action, nameof(actions));
            if (action.Entity is not TableEntity entity)
            {
                throw new ArgumentException("Transaction actions must carry TableEntity instances.", nameof(actions));
            }

            if (action.ActionType == TableTransactionActionType.Delete)
            {
                TableKeys.ValidateKeys(entity.PartitionKey, entity.RowKey);
            }
            else
            {
                EntityRules.Validate(entity);
            }

            if (!string.Equals(entity.PartitionKey, actions[0].Entity.PartitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException("All actions of a transaction must share one PartitionKey.", nameof(actions));
            }

            if (!rowKeys.Add(entity.RowKey))
            {
                throw new ArgumentException("A transaction may touch each entity only once.", nameof(actions));
            }
        }

        var payload = TransactionPayload.Estimate(actions, tableUri);
        if (payload > MaxPayloadBytes)
        {
            throw new ArgumentException($"The transaction's payload would be about {payload} bytes; Azure takes at most {MaxPayloadBytes} (4 MiB).", nameof(actions));
        }
    }
}
