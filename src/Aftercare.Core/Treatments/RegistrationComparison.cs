namespace Aftercare.Core.Treatments;

/// <summary>
/// Compares a repeated registration with the one stored under the same external id, as payment APIs compare a request
/// with the one first sent under its idempotency key: the same body again is a retry, answered with what is stored; a
/// different body is a mistake (two treatments given one id), refused without changing anything.
/// </summary>
/// <remarks>
/// Both sides are normalised first (the request is validated: canonical phone, trimmed names, lower-case device and
/// area). Times compare as instants, so the same moment written with another offset is the same. An optional field the
/// repeat leaves out (<c>client.locale</c>, <c>client.timeZone</c>, <c>treatment.needleDepthMm</c>) matches whatever
/// was stored, so a retry need not know which defaults were applied; one it gives must equal the stored value. An
/// erased treatment no longer holds the client's name and phone, so those are not compared: a retry after an erasure is
/// answered with the anonymised timeline, and never brings the erased data back.
/// </remarks>
public static class RegistrationComparison
{
    /// <summary>
    /// The fields of <paramref name="repeat"/> that differ from <paramref name="stored"/>, named by their JSON path in
    /// the registration body (e.g. <c>client.phone</c>), in body order; empty when the repeat is the same registration.
    /// </summary>
    public static IReadOnlyList<string> DifferingFields(Treatment stored, RegisterTreatment repeat)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(repeat);
        var (client, details, consent) = (stored.Client, stored.Details, stored.Consent);
        var differing = new List<string>();
        var erased = stored.ErasedAt is not null;
        Check("client.firstName", erased || client.FirstName == repeat.FirstName);
        Check("client.phone", erased || client.Phone == repeat.Phone);
        Check("client.locale", repeat.Locale is null || client.Locale == repeat.Locale);
        Check("client.timeZone", repeat.TimeZoneId is null || client.TimeZoneId == repeat.TimeZoneId);
        Check("treatment.type", details.Type == repeat.Details.Type);
        Check("treatment.device", details.Device == repeat.Details.Device);
        Check("treatment.needleDepthMm", repeat.Details.NeedleDepthMm is null || details.NeedleDepthMm == repeat.Details.NeedleDepthMm);
        Check("treatment.area", details.Area == repeat.Details.Area);
        Check("treatment.performedAt", details.PerformedAt.ToInstant() == repeat.Details.PerformedAt.ToInstant());
        Check("consent.sms", consent.Sms == repeat.Consent.Sms);
        Check("consent.capturedAt", consent.CapturedAt.ToInstant() == repeat.Consent.CapturedAt.ToInstant());
        Check("consent.method", consent.Method == repeat.Consent.Method);
        return differing;

        void Check(string field, bool same)
        {
            if (!same)
            {
                differing.Add(field);
            }
        }
    }
}
