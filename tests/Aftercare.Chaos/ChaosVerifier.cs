using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using Aftercare.Testing;

namespace Aftercare.Chaos;

/// <summary>
/// Reads every seeded message back and holds it against what the stand-in created: every message settled, every
/// non-sent one with a reason, each sent text created exactly once under the SID on record, and nothing created that
/// is not on record as sent. A message's text on record is the one its claim stored, exactly as sent: the seeded text,
/// or (a number's first text) the seeded text and the opt-out line, never anything else.
/// </summary>
internal static class ChaosVerifier
{
    private const int ExampleLimit = 10;

    public static async Task<ChaosVerdict> VerifyAsync(
        ChaosData data, ITreatmentStore store, IReadOnlyList<TwilioStandInMessage> created, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<(string TreatmentId, string StageId), OutboundMessage>();
        foreach (var treatmentId in data.TreatmentIds)
        {
            var record = await store.FindAsync(data.Clinic.Id, treatmentId, cancellationToken);
            foreach (var message in record?.Messages ?? [])
            {
                stored[(treatmentId, message.Value.StageId)] = message.Value;
            }
        }

        var createdByBody = created.ToLookup(m => m.Body, StringComparer.Ordinal);
        var storedBodies = stored.Values.Select(m => m.Body).ToHashSet(StringComparer.Ordinal);
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var examples = new List<string>();
        int notSettled = 0, sentNeverCreated = 0, createdNotSent = 0, wrongId = 0, missingReason = 0, reclaimed = 0, altered = 0;

        void Problem(SeededMessage message, string what)
        {
            if (examples.Count < ExampleLimit)
            {
                examples.Add($"{message.TreatmentId}/{message.StageId}: {what}");
            }
        }

        foreach (var seeded in data.Messages)
        {
            if (!stored.TryGetValue((seeded.TreatmentId, seeded.StageId), out var message))
            {
                statuses["missing"] = statuses.GetValueOrDefault("missing") + 1;
                notSettled++;
                Problem(seeded, "not in storage");
                continue;
            }

            var creates = createdByBody[message.Body].ToList();
            if (message.Body != seeded.Body && message.Body != seeded.Body + "\n" + OptOutLine.For("en"))
            {
                altered++;
                Problem(seeded, "the text on record is neither the seeded text nor it with the opt-out line");
            }

            reclaimed += message.Attempts > 1 ? 1 : 0;
            var status = message.Status.ToWire();
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (creates.Count > 1)
            {
                Problem(seeded, $"created {creates.Count} times, status {status}");
            }

            if (!message.Status.IsSettled())
            {
                notSettled++;
                Problem(seeded, $"still {status} ({message.StatusReason})");
            }
            else if (message.Status is MessageStatus.Sent or MessageStatus.Delivered)
            {
                if (creates.Count == 0)
                {
                    sentNeverCreated++;
                    Problem(seeded, "recorded sent, never created");
                }
                else if (!creates.Any(c => c.Sid == message.ProviderMessageId))
                {
                    wrongId++;
                    Problem(seeded, "recorded sent under a SID the stand-in did not give it");
                }
            }
            else
            {
                if (creates.Count > 0)
                {
                    createdNotSent++;
                    Problem(seeded, $"created but recorded {status} ({message.StatusReason})");
                }

                if (string.IsNullOrWhiteSpace(message.StatusReason))
                {
                    missingReason++;
                    Problem(seeded, $"{status} without a reason");
                }
            }
        }

        var strays = created.Count(c => !storedBodies.Contains(c.Body));
        return new ChaosVerdict
        {
            Statuses = statuses,
            Duplicates = createdByBody.Sum(g => Math.Max(0, g.Count() - 1)),
            NotSettled = notSettled,
            SentNeverCreated = sentNeverCreated,
            CreatedNotRecordedSent = createdNotSent + strays,
            WrongProviderId = wrongId,
            MissingReason = missingReason,
            TextsAltered = altered,
            ClaimedMoreThanOnce = reclaimed,
            Examples = examples,
        };
    }
}
