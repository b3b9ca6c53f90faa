using System.Globalization;
using Aftercare.Core.Delivery;
using Aftercare.Storage.Tables;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// A due-index row: PK = the shard of its treatment (<see cref="ShardKeys.PartitionKey"/> of <see cref="DispatchShards.Of"/>),
/// RK = "{due ticks, 19 digits}|{clinic}|{treatment}|{stage}". Every entry of a treatment is in one partition, and a
/// shard's due range is the one contiguous scan "PartitionKey eq {shard} and RowKey lt {now's ticks + 1}". Rows of the
/// older layout have PK = the due minute in UTC ("yyyyMMddHHmm", digits only, so before every shard key) and the same RK.
/// </summary>
internal static class DueEntities
{
    /// <summary>Where the highest shard count ever used is kept (after every shard key and every legacy key).</summary>
    public const string ShardCountPartitionKey = "shards";
    public const string ShardCountRowKey = "highest";
    public const string ShardCountColumn = "Count";

    public static string PartitionKey(DueEntry entry, int shards) =>
        ShardKeys.PartitionKey(DispatchShards.Of(entry.TreatmentId, shards));

    /// <summary>The first RowKey of an entry due after <paramref name="now"/>: a due range ends before it.</summary>
    public static string RowKeyAfter(Instant now) =>
        (now.ToDateTimeOffset().UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);

    public static string RowKey(DueEntry entry) =>
        entry.DueAt.ToDateTimeOffset().UtcTicks.ToString("D19", CultureInfo.InvariantCulture)
        + "|" + entry.ClinicId + "|" + entry.TreatmentId + "|" + entry.StageId;

    /// <summary>The row of <paramref name="entry"/> in its shard of <paramref name="shards"/> (1 to <see cref="DispatchShards.MaxCount"/>).</summary>
    public static TableEntity ToEntity(DueEntry entry, int shards) => new(PartitionKey(entry, shards), RowKey(entry))
    {
        ["DueAt"] = StoredValues.ToStored(entry.DueAt),
        ["ClinicId"] = entry.ClinicId,
        ["TreatmentId"] = entry.TreatmentId,
        ["StageId"] = entry.StageId,
    };

    public static DueEntry ToEntry(TableEntity entity) => new(
        StoredValues.ToInstant(entity.RequiredDateTimeOffset("DueAt")),
        entity.Required("ClinicId"),
        entity.Required("TreatmentId"),
        entity.Required("StageId"));
}
