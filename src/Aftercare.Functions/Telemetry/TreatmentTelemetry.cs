using System.Globalization;
using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;
using Microsoft.ApplicationInsights;

namespace Aftercare.Functions.Telemetry;

/// <summary>
/// What clinics and Twilio change on a timeline, as Application Insights custom events: <c>TreatmentCancelled</c>,
/// <c>RebookPromptsCancelled</c> and <c>StatusCallbackReceived</c>. Dimensions are clinic ids, stages, statuses, counts
/// and Twilio error codes: never a name, a number or a text. Tracked inside the invocation, so each carries its
/// operation id.
/// </summary>
internal sealed class TreatmentTelemetry(TelemetryClient telemetry)
{
    /// <summary>A clinic cancelled a treatment; <paramref name="messages"/> of its texts are cancelled by the clinic (a repeated cancel reports the same total).</summary>
    public void Cancelled(string clinicId, int messages) =>
        telemetry.TrackEvent("TreatmentCancelled", new Dictionary<string, string>
        {
            ["ClinicId"] = clinicId,
            ["Messages"] = messages.ToString(CultureInfo.InvariantCulture),
        });

    /// <summary>A registration found the client rebooked: <paramref name="messages"/> rebooking prompts of earlier treatments were cancelled now.</summary>
    public void RebookPromptsCancelled(string clinicId, int messages)
    {
        if (messages > 0)
        {
            telemetry.TrackEvent("RebookPromptsCancelled", new Dictionary<string, string>
            {
                ["ClinicId"] = clinicId,
                ["Messages"] = messages.ToString(CultureInfo.InvariantCulture),
            });
        }
    }

    /// <summary>A genuine Twilio status callback for a message, with what recording it did.</summary>
    public void StatusCallback(string clinicId, string stageId, MessageStatus reported, string? errorCode, StatusCallbackOutcome outcome) =>
        telemetry.TrackEvent("StatusCallbackReceived", new Dictionary<string, string>
        {
            ["ClinicId"] = clinicId,
            ["Stage"] = stageId,
            ["Status"] = reported.ToWire(),
            ["ErrorCode"] = errorCode ?? string.Empty,
            ["Outcome"] = outcome.ToString(),
        });
}
