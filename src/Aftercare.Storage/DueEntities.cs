using System.Globalization;
using Aftercare.Core.Delivery;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// A due-index row: PK = the due minute in UTC ("yyyyMMddHHmm"), RK = "{due ticks, 19 digits}|{clinic}|{treatment}|{stage}".
/// Both sort as text in time order, so "PartitionKey le {this minute}" reads exactly the partitions that can be due.
/// </summary>
internal static class DueEntities
{
    public static string PartitionKey(Instant at) =>
        at.ToDateTimeOffset().ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    public static string RowKey(DueEntry entry) =>
        entry.DueAt.ToDateTimeOffset().UtcTicks.ToString("D19", CultureInfo.InvariantCulture)
        + "|" + entry.ClinicId + "|" + entry.TreatmentId + "|" + entry.StageId;

    public static TableEntity ToEntity(DueEntry entry) => new(PartitionKey(entry.DueAt), RowKey(entry))
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
