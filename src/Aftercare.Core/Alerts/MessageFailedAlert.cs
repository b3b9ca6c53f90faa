using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Core.Alerts;

/// <summary>The <c>message-failed</c> alert for a text the provider refused for good (issue 14, item 5: alerts by default).</summary>
public static class MessageFailedAlert
{
    /// <summary>
    /// The alert for <paramref name="stageId"/> of <paramref name="treatment"/>, failed at <paramref name="failedAt"/>
    /// (UTC) with the provider's <paramref name="errorCode"/>: <see cref="MessageStatus.Failed"/> when Twilio refused it,
    /// or the status a delivery callback reported (<see cref="MessageStatus.Undelivered"/> or failed). Its id is
    /// <see cref="ClinicAlertIds.ForFailedMessage"/>: a repeat on the same UTC day stores nothing.
    /// </summary>
    public static ClinicAlert For(Treatment treatment, string stageId, string? errorCode, Instant failedAt, MessageStatus status = MessageStatus.Failed)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        return ClinicAlert.About(treatment, ClinicAlertIds.ForFailedMessage(treatment.TreatmentId, stageId), ClinicAlertType.MessageFailed, failedAt) with
        {
            Message = new AlertMessage(stageId, status.ToWire(), errorCode),
        };
    }
}
