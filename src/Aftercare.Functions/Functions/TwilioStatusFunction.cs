using Aftercare.Core.Delivery;
using Aftercare.Functions.Http;
using Aftercare.Functions.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Aftercare.Functions.Functions;

/// <summary>
/// <c>POST /api/twilio/status?clinic=&amp;treatment=&amp;stage=</c>: Twilio's delivery status callbacks. The callback URL
/// the dispatcher gives Twilio carries the message's key, so the callback finds its message directly; the
/// X-Twilio-Signature over the public URL and the form proves it is Twilio's. Anonymous at the host: the signature is
/// the check.
/// </summary>
internal sealed class TwilioStatusFunction(TwilioWebhookVerifier twilio, StatusCallbacks callbacks, TreatmentTelemetry telemetry)
{
    [Function("TwilioStatus")]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "twilio/status")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (form, refused) = await twilio.ReadGenuineFormAsync(request, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var clinic = request.Query["clinic"].ToString();
        var treatment = request.Query["treatment"].ToString();
        var stage = request.Query["stage"].ToString();
        var sid = form!["MessageSid"].ToString();
        if (clinic.Length == 0 || treatment.Length == 0 || stage.Length == 0 || sid.Length == 0)
        {
            return Problems.NotFound("The callback does not name a message.");
        }

        if (DeliveryReceipts.FromProvider(form["MessageStatus"].ToString()) is not { } status)
        {
            return TypedResults.NoContent();
        }

        var errorCode = form["ErrorCode"].ToString() is { Length: > 0 } code ? code : null;
        var outcome = await callbacks.ApplyAsync(clinic, treatment, stage, sid, status, errorCode, cancellationToken);
        telemetry.StatusCallback(clinic, stage, status, errorCode, outcome);
        return outcome switch
        {
            StatusCallbackOutcome.NotFound => Problems.NotFound("No such message."),
            StatusCallbackOutcome.Conflict => Problems.Conflict("The message kept changing; Twilio will retry the callback."),
            _ => TypedResults.NoContent(),
        };
    }
}
