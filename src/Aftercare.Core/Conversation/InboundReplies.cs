using Aftercare.Core.Alerts;
using Aftercare.Core.Replies;

namespace Aftercare.Core.Conversation;

/// <summary>
/// Takes an incoming SMS (issue 14): finds the clinics sending from the sender it reached (<see cref="ReplyRouting"/>),
/// acts on a keyword (<see cref="ClientOptOuts"/>, HELP answered), triages free text (<see cref="ReplyTriage"/>),
/// raises the clinic's alert in the outbox, stores the reply on the client's most recent treatment at each of those
/// clinics, and says what to answer.
/// </summary>
/// <remarks>
/// The alert is written before the reply: a worker that dies in between has stored the alert (the delivery timer posts
/// it) and Twilio's retry stores the reply. A repeat of a stored reply keeps its first receipt time, which keys the
/// alert, so the same <c>MessageSid</c> twice stores one reply and one alert.
/// </remarks>
public sealed class InboundReplies(
    ReplyRouting routing,
    ClientOptOuts optOuts,
    IReplyStore replies,
    ReplyTriage triage,
    IAlertOutbox alerts,
    InboundOptions options,
    TimeProvider time)
{
    /// <summary>
    /// Handles one incoming SMS. Round trips: <see cref="ReplyRouting.FindAsync"/>, a point read of the reply (is it a
    /// repeat?), the keyword's writes (<see cref="ClientOptOuts"/>), an outbox insert per alert and an insert per reply
    /// stored. Repeating it (Twilio's retry) stores and alerts nothing more and gives the same answer.
    /// </summary>
    public async Task<InboundOutcome> ReceiveAsync(InboundSms sms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var kind = ReplyKeywords.Classify(sms.Body, sms.OptOutType);
        var recipients = await routing.FindAsync(sms, cancellationToken);
        if (recipients.Count == 0)
        {
            return InboundOutcome.Unrouted(kind);
        }

        var latest = recipients.Where(r => r.LatestTreatment is not null).MaxBy(r => r.LatestTreatment!.RegisteredAt);
        var first = latest is null ? null : await replies.FindAsync(latest.Clinic.Id, latest.LatestTreatment!.TreatmentId, sms.MessageSid, cancellationToken);
        var receivedAt = first?.ReceivedAt ?? time.GetCurrentInstant();

        var suppressed = 0;
        foreach (var recipient in recipients)
        {
            switch (kind)
            {
                case ReplyKind.OptOut:
                    suppressed += await optOuts.OptOutAsync(recipient.Clinic.Id, sms.From, receivedAt, cancellationToken);
                    break;
                case ReplyKind.OptIn:
                    await optOuts.OptInAsync(recipient.Clinic.Id, sms.From, cancellationToken);
                    break;
            }
        }

        var locale = latest?.LatestTreatment!.Client.Locale ?? recipients[0].Clinic.DefaultLocale;
        var verdict = kind == ReplyKind.Text ? triage.Classify(sms.Body, locale) : null;
        var stored = new List<ClientReply>();
        var repeated = false;
        foreach (var recipient in recipients)
        {
            if (recipient.LatestTreatment is not { } treatment)
            {
                continue;
            }

            var reply = new ClientReply(recipient.Clinic.Id, treatment.TreatmentId, sms.MessageSid, receivedAt, sms.Body, kind)
            {
                Triage = verdict is null ? null : ReplyTriageResult.From(verdict),
            };
            reply = reply with { Alert = await RaiseAlertAsync(recipient, reply, isLatest: recipient == latest, cancellationToken) };
            if (await replies.TryAddAsync(reply, cancellationToken))
            {
                stored.Add(reply);
            }
            else
            {
                repeated = true;
            }
        }

        return new InboundOutcome(true, kind, stored, repeated, suppressed, Answer(kind, sms, latest ?? recipients[0], locale, verdict))
        {
            Triage = verdict,
        };
    }

    private async Task<AlertRouting?> RaiseAlertAsync(ReplyRecipient recipient, ClientReply reply, bool isLatest, CancellationToken cancellationToken)
    {
        var treatment = recipient.LatestTreatment!;
        return reply.Kind switch
        {
            // The alert goes to the clinic of the latest treatment, the one the client's answer names.
            ReplyKind.Text when isLatest => await alerts.RaiseAsync(recipient.Clinic, ReplyAlert.For(treatment, reply), cancellationToken),
            ReplyKind.OptOut => await alerts.RaiseAsync(recipient.Clinic, OptOutAlert.For(treatment, reply.MessageSid, reply.ReceivedAt), cancellationToken),
            _ => null,
        };
    }

    private string? Answer(ReplyKind kind, InboundSms sms, ReplyRecipient recipient, string locale, TriageVerdict? verdict) => kind switch
    {
        // STOP and START are confirmed by Twilio itself; a webhook with OptOutType was answered by Twilio already.
        ReplyKind.Help when sms.OptOutType is null && !options.TwilioAnswersHelp => HelpAnswer.For(recipient.Clinic, locale),
        ReplyKind.Text when verdict is { Kind: TriageKind.Urgent } && recipient.LatestTreatment is not null =>
            triage.UrgentAnswer(verdict, recipient.Clinic.Name, recipient.Clinic.ContactPhone),
        _ => null,
    };
}
