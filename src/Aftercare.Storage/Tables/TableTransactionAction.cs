using Azure;

namespace Aftercare.Storage.Tables;

public enum TableTransactionActionType
{
    Add,
    UpsertMerge,
    UpsertReplace,
    UpdateMerge,
    UpdateReplace,
    Delete,
}

/// <summary>One operation of an entity-group transaction. Update and Delete use <see cref="ETag"/> (default: any).</summary>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag ETag = default);

/// <summary>What the service answered for one action of a committed transaction.</summary>
public sealed record TableTransactionResult(int Status, ETag? ETag);
