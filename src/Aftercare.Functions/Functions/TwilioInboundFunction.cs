using Aftercare.Core.Conversation;
using Aftercare.Core.Phones;
using Aftercare.Core.Replies;
using Aftercare.Functions.Http;
using Aftercare.Functions.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Twilio.TwiML;

namespace Aftercare.Functions.Functions;

/// <summary>
/// <c>POST /api/twilio/inbound</c>: Twilio's incoming-message webhook, for the numbers and Messaging Services the clinics
/// send from. Anonymous at the host: the X-Twilio-Signature over the public URL and the form is the check (403 when it
/// does not match, and nothing is stored). Answers TwiML (<see cref="MessagingResponse"/>): an empty
/// <c>&lt;Response/&gt;</c>, or one <c>&lt;Message&gt;</c> (the HELP answer, or the answer to a reply triaged urgent).
/// </summary>
internal sealed partial class TwilioInboundFunction(TwilioWebhookVerifier twilio, InboundReplies inbound, ReplyTelemetry telemetry, ILogger<TwilioInboundFunction> logger)
{
    private const string TwiMLContentType = "application/xml";

    [Function("TwilioInbound")]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "twilio/inbound")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (form, refused) = await twilio.ReadGenuineFormAsync(request, forbidBadSignature: true, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var messageSid = form!["MessageSid"].ToString();
        var to = form["To"].ToString();
        if (messageSid.Length == 0 || to.Length == 0)
        {
            return Problems.MalformedBody("An incoming message needs MessageSid and To.");
        }

        if (CanonicalPhone.Parse(form["From"].ToString(), PhoneUse.AnyLine) is not { E164: { } from })
        {
            // A short code, an alphanumeric sender or a number libphonenumber refuses: no client of ours.
            LogUnknownClient(logger, messageSid);
            return TwiML(new MessagingResponse());
        }

        var sms = new InboundSms(
            messageSid,
            to,
            form["MessagingServiceSid"].ToString() is { Length: > 0 } service ? service : null,
            from,
            form["Body"].ToString(),
            form["OptOutType"].ToString() is { Length: > 0 } optOutType ? optOutType : null);
        var outcome = await inbound.ReceiveAsync(sms, cancellationToken);
        telemetry.Received(outcome);
        if (!outcome.Routed)
        {
            LogUnknownSender(logger, messageSid);
        }
        else
        {
            LogReceived(logger, messageSid, outcome.Kind.ToWire(), outcome.Triage?.Kind.ToWire() ?? "-", outcome.Stored.Count, outcome.Repeated, outcome.SuppressedMessages);
        }

        var response = new MessagingResponse();
        if (outcome.Answer is { } answer)
        {
            response.Message(answer);
        }

        return TwiML(response);
    }

    private static ContentHttpResult TwiML(MessagingResponse response) => TypedResults.Text(response.ToString(), TwiMLContentType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incoming message {MessageSid} reached a sender no clinic uses; nothing stored.")]
    private static partial void LogUnknownSender(ILogger logger, string messageSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incoming message {MessageSid} is not from a phone number; nothing stored.")]
    private static partial void LogUnknownClient(ILogger logger, string messageSid);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Incoming message {MessageSid}: {Kind}, triage {Triage}, {Stored} replies stored, repeated {Repeated}, {Suppressed} pending texts suppressed.")]
    private static partial void LogReceived(ILogger logger, string messageSid, string kind, string triage, int stored, bool repeated, int suppressed);
}
