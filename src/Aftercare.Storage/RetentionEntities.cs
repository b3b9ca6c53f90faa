using Aftercare.Core.Privacy;
using Azure.Data.Tables;
using NodaTime;
using NodaTime.Text;

namespace Aftercare.Storage;

/// <summary>
/// A row of the legacy retention table (new entries are <see cref="RetentionRows"/> in the due-index table): PK = "{reason}|{day, yyyyMMdd UTC}" ("settled|20261120", "erasure|20261120"), RK =
/// "{clinicId}|{treatmentId}". Days sort as text, so "PartitionKey ge 'settled|' and PartitionKey le 'settled|{day}'"
/// reads exactly the days up to one, for one reason.
/// </summary>
internal static class RetentionEntities
{
    private static readonly LocalDatePattern Day = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");

    public static string Prefix(RetentionReason reason) => reason switch
    {
        RetentionReason.Settled => "settled|",
        RetentionReason.ErasureRequested => "erasure|",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static string PartitionKey(RetentionReason reason, LocalDate day) => Prefix(reason) + Day.Format(day);

    public static string RowKey(RetentionEntry entry) => entry.ClinicId + "|" + entry.TreatmentId;

    public static TableEntity ToEntity(RetentionEntry entry) => new(PartitionKey(entry.Reason, entry.Day), RowKey(entry))
    {
        ["ClinicId"] = entry.ClinicId,
        ["TreatmentId"] = entry.TreatmentId,
    };

    public static RetentionEntry ToEntry(RetentionReason reason, TableEntity entity) => new(
        reason,
        Day.Parse(entity.PartitionKey[Prefix(reason).Length..]).GetValueOrThrow(),
        entity.Required("ClinicId"),
        entity.Required("TreatmentId"));
}
