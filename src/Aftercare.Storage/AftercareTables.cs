using Aftercare.Storage.Tables;

namespace Aftercare.Storage;

/// <summary>
/// The tables Aftercare keeps, named with an optional prefix (tests use a unique one each, so they never share data;
/// environments sharing an account can use one each).
/// </summary>
public sealed class AftercareTables
{
    public AftercareTables(TableServiceClient service, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(prefix);
        Prefix = prefix;
        Clinics = service.GetTableClient(prefix + "clinics");
        Treatments = service.GetTableClient(prefix + "treatments");
        DueIndex = service.GetTableClient(prefix + "dueindex");
        OptOuts = service.GetTableClient(prefix + "optouts");
        ClientHistory = service.GetTableClient(prefix + "clienthistory");
    }

    public string Prefix { get; }

    public TableClient Clinics { get; }

    public TableClient Treatments { get; }

    public TableClient DueIndex { get; }

    public TableClient OptOuts { get; }

    public TableClient ClientHistory { get; }

    public IReadOnlyList<TableClient> All => [Clinics, Treatments, DueIndex, OptOuts, ClientHistory];

    /// <summary>Creates every table that does not exist yet; safe to call on every start.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(All.Select(table => table.CreateIfNotExistsAsync(cancellationToken)));
}
