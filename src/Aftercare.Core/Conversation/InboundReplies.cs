using Aftercare.Core.Clinics;
using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;

namespace Aftercare.Core.Conversation;

/// <summary>
/// Takes an incoming SMS: finds the clinics sending from the sender it reached, acts on a keyword (an opt-out at every
/// one of them with their pending texts suppressed at once, an opt-in lifting it, HELP answered), stores the reply on
/// the client's most recent treatment at each of those clinics, and hands it to <see cref="IReplyFollowUp"/>.
/// </summary>
public sealed class InboundReplies(
    ISenderDirectory senders,
    IClinicStore clinics,
    IClientHistory history,
    ITreatmentStore treatments,
    IOptOutStore optOuts,
    IReplyStore replies,
    IReplyFollowUp followUp,
    InboundOptions options,
    TimeProvider time)
{
    /// <summary>The reason suppressed texts show on the timeline.</summary>
    public const string SuppressedReason = "The client replied STOP: opted out of texts from this clinic.";

    /// <summary>
    /// Handles one incoming SMS. Round trips: one partition query per sender key (number and Messaging Service), a point
    /// read per candidate clinic and per client history, a read of the latest treatment per clinic; an opt-out adds a
    /// write per clinic and a read of each of the client's treatments there with a write per pending text; storing a
    /// reply is one insert. Repeating it (Twilio's retry) changes nothing more.
    /// </summary>
    public async Task<InboundOutcome> ReceiveAsync(InboundSms sms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var kind = ReplyKeywords.Classify(sms.Body, sms.OptOutType);
        var senderClinics = await FindClinicsAsync(sms, cancellationToken);
        if (senderClinics.Count == 0)
        {
            return InboundOutcome.Unrouted(kind);
        }

        var now = time.GetCurrentInstant();
        var suppressed = 0;
        foreach (var clinic in senderClinics)
        {
            switch (kind)
            {
                case ReplyKind.OptOut:
                    await optOuts.OptOutAsync(clinic.Id, sms.From, "reply", now, cancellationToken);
                    suppressed += await SuppressPendingAsync(clinic.Id, sms.From, cancellationToken);
                    break;
                case ReplyKind.OptIn:
                    await optOuts.OptInAsync(clinic.Id, sms.From, cancellationToken);
                    break;
            }
        }

        var stored = new List<ClientReply>();
        var repeated = false;
        (Clinic Clinic, Treatment Treatment)? latest = null;
        foreach (var clinic in senderClinics)
        {
            if (await LatestTreatmentAsync(clinic.Id, sms.From, cancellationToken) is not { } treatment)
            {
                continue;
            }

            if (latest is null || treatment.RegisteredAt > latest.Value.Treatment.RegisteredAt)
            {
                latest = (clinic, treatment);
            }

            var reply = new ClientReply(clinic.Id, treatment.TreatmentId, sms.MessageSid, now, sms.Body, kind);
            if (await replies.TryAddAsync(reply, cancellationToken))
            {
                stored.Add(reply);
            }
            else
            {
                repeated = true;
            }
        }

        var answer = kind switch
        {
            ReplyKind.Help when sms.OptOutType is null && !options.TwilioAnswersHelp =>
                HelpAnswer.For(latest?.Clinic ?? senderClinics[0], latest?.Treatment.Client.Locale ?? (latest?.Clinic ?? senderClinics[0]).DefaultLocale),
            _ => null,
        };

        if (kind == ReplyKind.Text && latest is { } context)
        {
            // Again on a repeat, answer included: Twilio posts again only when it did not take our answer, the follow-up is
            // idempotent on the message id, and a crash before it ran is made good.
            var reply = stored.FirstOrDefault(r => r.ClinicId == context.Clinic.Id)
                ?? new ClientReply(context.Clinic.Id, context.Treatment.TreatmentId, sms.MessageSid, now, sms.Body, kind);
            answer = await followUp.FollowUpAsync(context.Clinic, reply, context.Treatment.Client.Locale, cancellationToken);
        }

        return new InboundOutcome(true, kind, stored, repeated, suppressed, answer);
    }

    private async Task<List<Clinic>> FindClinicsAsync(InboundSms sms, CancellationToken cancellationToken)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        ids.UnionWith(await senders.FindClinicIdsAsync(sms.To, cancellationToken));
        if (sms.MessagingServiceSid is { Length: > 0 } service)
        {
            ids.UnionWith(await senders.FindClinicIdsAsync(service, cancellationToken));
        }

        var found = new List<Clinic>();
        foreach (var id in ids)
        {
            // The directory may still name a clinic that moved to another sender since: it no longer sends from this one.
            if (await clinics.FindAsync(id, cancellationToken) is { } clinic
                && (clinic.SenderPhone == sms.To || (clinic.MessagingServiceSid is not null && clinic.MessagingServiceSid == sms.MessagingServiceSid)))
            {
                found.Add(clinic);
            }
        }

        return found;
    }

    private async Task<Treatment?> LatestTreatmentAsync(string clinicId, string phone, CancellationToken cancellationToken)
    {
        if (await history.FindAsync(clinicId, phone, cancellationToken) is not { TreatmentIds.Count: > 0 } known)
        {
            return null;
        }

        return (await treatments.FindAsync(clinicId, known.TreatmentIds[^1], cancellationToken))?.Treatment.Value;
    }

    private async Task<int> SuppressPendingAsync(string clinicId, string phone, CancellationToken cancellationToken)
    {
        if (await history.FindAsync(clinicId, phone, cancellationToken) is not { } known)
        {
            return 0;
        }

        var suppressed = 0;
        foreach (var treatmentId in known.TreatmentIds)
        {
            if (await treatments.FindAsync(clinicId, treatmentId, cancellationToken) is { } record)
            {
                suppressed += await MessageUpdates.SettlePendingAsync(treatments, record, _ => true, MessageStatus.Suppressed, SuppressedReason, time, cancellationToken);
            }
        }

        return suppressed;
    }
}
