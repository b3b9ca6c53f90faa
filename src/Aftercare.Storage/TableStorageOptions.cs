namespace Aftercare.Storage;

/// <summary>
/// Where Aftercare's tables live. Set <see cref="ConnectionString"/> (Azurite, or a Shared Key account), or
/// <see cref="TableEndpoint"/> to reach the account with a managed identity (Microsoft Entra ID), as in Azure.
/// </summary>
public sealed class TableStorageOptions
{
    /// <summary>A storage connection string, e.g. <c>UseDevelopmentStorage=true</c> for Azurite on its default ports.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Table service endpoint, e.g. <c>https://account.table.core.windows.net</c>; used when no connection string is set.</summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>
    /// The client id of the user-assigned managed identity to reach <see cref="TableEndpoint"/> with; unset uses the
    /// credential the Azure client factory is given (by default, <c>DefaultAzureCredential</c>).
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prefix of every table name (letters and digits, starting with a letter), so several environments can share one account.</summary>
    public string TablePrefix { get; set; } = "aftercare";
}
