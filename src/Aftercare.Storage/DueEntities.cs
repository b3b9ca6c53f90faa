using System.Globalization;
using Aftercare.Core.Delivery;
using Aftercare.Storage.Tables;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// A due-index row: PK = the treatment's shard (<see cref="ShardKeys"/>, "s000".."s998"), RK = "{due ticks, 19
/// digits}|{clinic}|{treatment}|{stage}", so every row of one treatment is in one partition and a shard's due range is
/// one range scan. Rows written before the shards have PK = the due minute in UTC ("yyyyMMddHHmm", <see cref="PartitionKey(Instant)"/>).
/// </summary>
internal static class DueEntities
{
    /// <summary>The legacy partition of a due minute, "yyyyMMddHHmm" UTC; every one sorts before every shard key.</summary>
    public static string PartitionKey(Instant at) =>
        at.ToDateTimeOffset().ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    /// <summary>The shard partition of the entry's treatment among <paramref name="shards"/>.</summary>
    public static string PartitionKey(DueEntry entry, int shards) =>
        ShardKeys.PartitionKey(DispatchShards.Of(entry.TreatmentId, shards));

    public static string RowKey(DueEntry entry) =>
        entry.DueAt.ToDateTimeOffset().UtcTicks.ToString("D19", CultureInfo.InvariantCulture)
        + "|" + entry.ClinicId + "|" + entry.TreatmentId + "|" + entry.StageId;

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
