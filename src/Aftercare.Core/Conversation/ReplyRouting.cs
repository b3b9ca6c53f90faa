using Aftercare.Core.Clinics;
using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;

namespace Aftercare.Core.Conversation;

/// <summary>
/// Finds who an incoming SMS is for (issue 14, item 2): the clinics sending from the sender it reached (the number in
/// <c>To</c>, and the Messaging Service when Twilio names one), through the sender index, and at each of them the
/// client's most recent treatment, through the client's history.
/// </summary>
public sealed class ReplyRouting(ISenderDirectory senders, IClinicStore clinics, IClientHistory history, ITreatmentStore treatments)
{
    /// <summary>
    /// The recipients in clinic-id order; empty when no clinic sends from the sender. Round trips: a partition query per
    /// sender key, then per candidate clinic a point read, the client's history and their latest treatment.
    /// </summary>
    public async Task<IReadOnlyList<ReplyRecipient>> FindAsync(InboundSms sms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        ids.UnionWith(await senders.FindClinicIdsAsync(sms.To, cancellationToken));
        if (sms.MessagingServiceSid is { Length: > 0 } service)
        {
            ids.UnionWith(await senders.FindClinicIdsAsync(service, cancellationToken));
        }

        var found = new List<ReplyRecipient>();
        foreach (var id in ids)
        {
            // The index may still name a clinic that moved to another sender since: it no longer sends from this one.
            if (await clinics.FindAsync(id, cancellationToken) is { } clinic
                && (clinic.SenderPhone == sms.To || (clinic.MessagingServiceSid is not null && clinic.MessagingServiceSid == sms.MessagingServiceSid)))
            {
                found.Add(new ReplyRecipient(clinic, await LatestTreatmentAsync(clinic.Id, sms.From, cancellationToken)));
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

        // An erased treatment keeps no client: a reply to it would store a stranger's words on an anonymised record.
        var latest = (await treatments.FindAsync(clinicId, known.TreatmentIds[^1], cancellationToken))?.Treatment.Value;
        return latest is { ErasedAt: null } ? latest : null;
    }
}
