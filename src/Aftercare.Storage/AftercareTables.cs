using Aftercare.Storage.Tables;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>
/// The tables Aftercare keeps, each named prefix + stem ("aftercareclinics"); tests use a unique prefix each, so they
/// never share data, and environments sharing an account can use one each.
/// </summary>
public sealed class AftercareTables
{
    private readonly TableServiceClient _service;

    /// <summary>Names the tables; an invalid name (see <see cref="TableNames"/>) throws <see cref="ArgumentException"/> here, before any request.</summary>
    /// <param name="prefix">Letters and digits, starting with a letter, or empty.</param>
    public AftercareTables(TableServiceClient service, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(prefix);
        _service = service;
        Prefix = prefix;
        Clinics = Table(service, prefix + "clinics");
        Treatments = Table(service, prefix + "treatments");
        DueIndex = Table(service, prefix + "dueindex");
        OptOuts = Table(service, prefix + "optouts");
        ClientHistory = Table(service, prefix + "clienthistory");
        Retention = Table(service, prefix + "retention");
        Senders = Table(service, prefix + "senders");
        Replies = Table(service, prefix + "replies");
        Alerts = Table(service, prefix + "alerts");
    }

    public string Prefix { get; }

    public AftercareTable Clinics { get; }

    public AftercareTable Treatments { get; }

    public AftercareTable DueIndex { get; }

    public AftercareTable OptOuts { get; }

    public AftercareTable ClientHistory { get; }

    /// <summary>The retention index (<see cref="TableRetentionIndex"/>).</summary>
    public AftercareTable Retention { get; }

    /// <summary>The sender → clinic index (<see cref="TableSenderDirectory"/>).</summary>
    public AftercareTable Senders { get; }

    /// <summary>Client replies (<see cref="TableReplyStore"/>).</summary>
    public AftercareTable Replies { get; }

    /// <summary>The clinic alert outbox (<see cref="TableAlertOutbox"/>).</summary>
    public AftercareTable Alerts { get; }

    public IReadOnlyList<AftercareTable> All => [Clinics, Treatments, DueIndex, OptOuts, ClientHistory, Retention, Senders, Replies, Alerts];

    /// <summary>
    /// Creates every table that does not exist yet; safe to call on every start. One query of the account's tables named
    /// with <see cref="Prefix"/> finds those that exist (table names are case-insensitive), then one create each for the
    /// missing ones, side by side: once they all exist, a start costs that one request, not one per table.
    /// </summary>
    /// <exception cref="Azure.RequestFailedException">The account refused the query or a create (a wrong key, no access).</exception>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var named = TableClient.CreateQueryFilter($"TableName ge {Prefix} and TableName lt {Prefix + "~"}");
        await foreach (var table in _service.QueryAsync(named, cancellationToken: cancellationToken))
        {
            existing.Add(table.Name);
        }

        await Task.WhenAll(All.Where(table => !existing.Contains(table.Name)).Select(table => table.CreateIfNotExistsAsync(cancellationToken)));
    }

    private static AftercareTable Table(TableServiceClient service, string name)
    {
        TableNames.Validate(name, "prefix");
        return new AftercareTable(service.GetTableClient(name));
    }
}
