using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Core.Alerts;

/// <summary>The <c>client-opted-out</c> alert, for clinics that ask for it (issue 14, item 5).</summary>
public static class OptOutAlert
{
    /// <summary>
    /// The alert that the client of <paramref name="treatment"/> opted out at <paramref name="optedOutAt"/> (UTC), by a
    /// reply (<paramref name="sourceId"/> = its MessageSid) or a carrier's refusal (the stage that was refused). Its id is
    /// <see cref="ClinicAlertIds.ForOptOut"/>.
    /// </summary>
    public static ClinicAlert For(Treatment treatment, string sourceId, Instant optedOutAt)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        return ClinicAlert.About(treatment, ClinicAlertIds.ForOptOut(treatment.TreatmentId, sourceId), ClinicAlertType.ClientOptedOut, optedOutAt);
    }
}
