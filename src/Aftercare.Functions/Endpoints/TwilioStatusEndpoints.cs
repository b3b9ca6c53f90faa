using Aftercare.Core;
using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;
using Aftercare.Functions.Http;

namespace Aftercare.Functions.Endpoints;

/// <summary>
/// Twilio's delivery status callbacks. The callback URL the dispatcher gives Twilio carries the message's key, so the
/// callback finds its message directly; the X-Twilio-Signature over the public URL and the form proves it is Twilio's.
/// </summary>
internal static class TwilioStatusEndpoints
{
    private const int MaxAttempts = 5;

    public static IEndpointRouteBuilder MapTwilioStatusEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/twilio/status", ReceiveAsync).WithName("TwilioStatus").WithTags("Twilio").DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext http,
        string? clinic,
        string? treatment,
        string? stage,
        TwilioWebhookVerifier twilio,
        ITreatmentStore treatments,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!twilio.IsEnabled)
        {
            return Problems.Forbidden("Status callbacks need Aftercare:PublicBaseUrl and a Twilio auth token to be configured.");
        }

        if (!http.Request.HasFormContentType)
        {
            return Problems.UnsupportedMediaType("Twilio posts application/x-www-form-urlencoded.");
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return Problems.MalformedBody(ex.Message);
        }

        if (!twilio.IsGenuine(http, form))
        {
            return Problems.Unauthorized("The X-Twilio-Signature does not match this request.");
        }

        var sid = form["MessageSid"].ToString();
        var reported = DeliveryReceipts.FromProvider(form["MessageStatus"].ToString());
        if (clinic is null || treatment is null || stage is null || sid.Length == 0)
        {
            return Problems.NotFound("The callback does not name a message.");
        }

        if (reported is not { } status)
        {
            return TypedResults.NoContent();
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var message = await treatments.FindMessageAsync(clinic, treatment, stage, cancellationToken);
            if (message is null)
            {
                return Problems.NotFound("No such message.");
            }

            var errorCode = form["ErrorCode"].ToString() is { Length: > 0 } code ? code : null;
            var updated = DeliveryReceipts.Apply(message.Value, sid, status, errorCode, time.GetCurrentInstant());
            if (updated is null || await treatments.TryReplaceMessageAsync(clinic, treatment, updated, message.ETag, cancellationToken) is not null)
            {
                return TypedResults.NoContent();
            }
        }

        return Problems.Conflict("The message kept changing; Twilio will retry the callback.");
    }
}
