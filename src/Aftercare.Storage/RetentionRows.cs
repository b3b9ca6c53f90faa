using Aftercare.Core.Delivery;
using Aftercare.Core.Privacy;
using Aftercare.Storage.Tables;
using Azure.Data.Tables;
using NodaTime;
using NodaTime.Text;

namespace Aftercare.Storage;

/// <summary>
/// A retention entry kept as a row of the due-index table, in its treatment's shard partition (<see cref="ShardKeys"/>),
/// so a registration writes its due entries and its retention entry in one entity-group transaction. RK =
/// "retain|{reason}|{day, yyyyMMdd UTC}|{clinic}|{treatment}" ("retain|settled|20261120|…", "retain|erasure|…"): it
/// sorts after every due-entry RowKey (those start with 19 digits), so a shard's due range never meets it, and
/// "RowKey ge 'retain|settled|' and RowKey lt 'retain|settled|{day + 1}'" reads exactly one reason's days up to a day.
/// Columns ClinicId, TreatmentId.
/// </summary>
internal static class RetentionRows
{
    /// <summary>What every retention RowKey starts with.</summary>
    public const string Prefix = "retain|";

    private static readonly LocalDatePattern Day = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");

    public static string ReasonPrefix(RetentionReason reason) => Prefix + RetentionEntities.Prefix(reason);

    /// <summary>The first RowKey after every entry of <paramref name="reason"/> on <paramref name="day"/> or earlier.</summary>
    public static string After(RetentionReason reason, LocalDate day) => ReasonPrefix(reason) + Day.Format(day) + "}";

    public static string PartitionKey(RetentionEntry entry, int shards) =>
        ShardKeys.PartitionKey(DispatchShards.Of(entry.TreatmentId, shards));

    public static string RowKey(RetentionEntry entry) =>
        ReasonPrefix(entry.Reason) + Day.Format(entry.Day) + "|" + entry.ClinicId + "|" + entry.TreatmentId;

    public static TableEntity ToEntity(RetentionEntry entry, int shards) => new(PartitionKey(entry, shards), RowKey(entry))
    {
        ["ClinicId"] = entry.ClinicId,
        ["TreatmentId"] = entry.TreatmentId,
    };

    public static RetentionEntry ToEntry(RetentionReason reason, TableEntity entity)
    {
        var day = entity.RowKey.AsSpan(ReasonPrefix(reason).Length, 8).ToString();
        return new RetentionEntry(reason, Day.Parse(day).GetValueOrThrow(), entity.Required("ClinicId"), entity.Required("TreatmentId"));
    }
}
