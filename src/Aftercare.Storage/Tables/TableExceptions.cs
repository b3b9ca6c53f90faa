using Azure;

namespace Aftercare.Storage.Tables;

/// <summary>404: the table or entity does not exist (ErrorCode ResourceNotFound or TableNotFound).</summary>
public sealed class TableNotFoundException(string message, string? errorCode, Exception? innerException = null)
    : RequestFailedException(404, message, errorCode, innerException);

/// <summary>409: the entity or table already exists (EntityAlreadyExists, TableAlreadyExists) or another conflict.</summary>
public sealed class TableConflictException(string message, string? errorCode, Exception? innerException = null)
    : RequestFailedException(409, message, errorCode, innerException);

/// <summary>412: the If-Match ETag no longer matches (UpdateConditionNotSatisfied).</summary>
public sealed class TablePreconditionFailedException(string message, string? errorCode, Exception? innerException = null)
    : RequestFailedException(412, message, errorCode, innerException);

/// <summary>An entity-group transaction was refused as a whole; nothing in it was written.</summary>
public sealed class TableTransactionFailedException(int status, string message, string? errorCode, int? failedActionIndex)
    : RequestFailedException(status, message, errorCode, null)
{
    /// <summary>The zero-based index of the action that failed, when the service said which.</summary>
    public int? FailedActionIndex { get; } = failedActionIndex;
}
