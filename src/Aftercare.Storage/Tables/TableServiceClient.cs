using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Aftercare.Storage.Tables;

/// <summary>
/// The entry point to a storage account's Table service: builds the Azure.Core pipeline (retries, logging,
/// distributed tracing, x-ms-date, Shared Key or bearer-token auth) and hands out <see cref="TableClient"/>s.
/// </summary>
public class TableServiceClient
{
    /// <summary>The Entra ID scope for Azure Storage (managed identity in production).</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    private readonly HttpPipeline _pipeline = null!;

    public TableServiceClient(string connectionString, TableClientOptions? options = null)
        : this(TableConnectionString.Parse(connectionString), options)
    {
    }

    public TableServiceClient(Uri endpoint, TableSharedKeyCredential credential, TableClientOptions? options = null)
        : this(endpoint, new TableSharedKeyPolicy(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    public TableServiceClient(Uri endpoint, TokenCredential credential, TableClientOptions? options = null)
        : this(endpoint, new BearerTokenAuthenticationPolicy(credential ?? throw new ArgumentNullException(nameof(credential)), StorageScope), options)
    {
    }

    /// <summary>For mocking.</summary>
    protected TableServiceClient()
    {
        Endpoint = null!;
    }

    private TableServiceClient(TableConnectionString connection, TableClientOptions? options)
        : this(connection.TableEndpoint, connection.Credential, options)
    {
    }

    private TableServiceClient(Uri endpoint, HttpPipelinePolicy authentication, TableClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("The table endpoint must be an absolute http or https URL.", nameof(endpoint));
        }

        options ??= new TableClientOptions();
        Endpoint = endpoint;
        _pipeline = HttpPipelineBuilder.Build(
            options,
            perCallPolicies: [],
            perRetryPolicies: [new TableDateHeaderPolicy(options.TimeProvider), authentication],
            new ResponseClassifier());
    }

    public Uri Endpoint { get; }

    public virtual TableClient GetTableClient(string tableName)
    {
        TableNames.Validate(tableName, nameof(tableName));
        return new TableClient(new TableRequests(_pipeline, Endpoint), tableName);
    }

    public virtual Task<Response> CreateTableIfNotExistsAsync(string tableName, CancellationToken cancellationToken = default) =>
        GetTableClient(tableName).CreateIfNotExistsAsync(cancellationToken);

    public virtual Task<Response> DeleteTableAsync(string tableName, CancellationToken cancellationToken = default) =>
        GetTableClient(tableName).DeleteAsync(cancellationToken);
}
