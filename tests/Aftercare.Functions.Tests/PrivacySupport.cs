using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Functions.Tests;

/// <summary>What the raw tables hold, for the "nothing personal is left" and "nothing else changed" checks.</summary>
internal static class RawEntities
{
    /// <summary>Every key and string value of the entity, and every other value as text.</summary>
    public static IEnumerable<string> Texts(TableEntity entity) =>
        entity.Select(p => p.Value switch
        {
            null => string.Empty,
            byte[] bytes => Convert.ToBase64String(bytes),
            var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
        }).Append(entity.PartitionKey).Append(entity.RowKey);

    /// <summary>The first of <paramref name="needles"/> some entity holds, with where; null when none does.</summary>
    public static string? FindAny(IEnumerable<TableEntity> entities, IReadOnlyCollection<string> needles) =>
        entities
            .SelectMany(e => Texts(e).SelectMany(text => needles.Where(n => text.Contains(n, StringComparison.Ordinal)).Select(n => $"'{n}' in ({e.PartitionKey}, {e.RowKey})")))
            .FirstOrDefault();

    /// <summary>An entity as everything the service holds for it (Timestamp and ETag included), to tell whether it was written.</summary>
    public static string Fingerprint(TableEntity entity) =>
        string.Join("\n", entity.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>True for a row of <paramref name="clinicId"/>'s: its clinic row, treatments, opt-outs, histories, and index entries pointing at it.</summary>
    public static bool BelongsTo(TableEntity entity, string clinicId) =>
        entity.PartitionKey.StartsWith(clinicId, StringComparison.Ordinal) || entity.RowKey.Contains(clinicId, StringComparison.Ordinal);
}

/// <summary>Ways one client's number may be spelled, to look for in what is stored.</summary>
internal static class PhoneSpellings
{
    /// <summary>E.164, without '+', national digits, national with a trunk 0 and spaced, and URL-escaped.</summary>
    public static IReadOnlyList<string> Of(string e164, string nationalWithTrunk) =>
    [
        e164,
        e164[1..],
        nationalWithTrunk[1..],
        nationalWithTrunk,
        nationalWithTrunk[..5] + " " + nationalWithTrunk[5..],
        Uri.EscapeDataString(e164),
    ];
}

/// <summary>The real sender, holding its first send until the test lets it go: a text in flight, on demand.</summary>
public sealed class SendGate
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sends;

    /// <summary>Completes when the first send has been claimed and is about to reach Twilio.</summary>
    public Task Entered => _entered.Task;

    public void Release() => _released.TrySetResult();

    public ISmsSender Around(ISmsSender inner) => new Gated(inner, this);

    private sealed class Gated(ISmsSender inner, SendGate gate) : ISmsSender
    {
        public async Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref gate._sends) == 1)
            {
                gate._entered.TrySetResult();
                await gate._released.Task.WaitAsync(cancellationToken);
            }

            return await inner.SendAsync(request, cancellationToken);
        }

        public Task<IReadOnlyList<SentSms>> FindSentAsync(string recipient, Instant since, CancellationToken cancellationToken) =>
            inner.FindSentAsync(recipient, since, cancellationToken);
    }
}

/// <summary>The app's treatment store, running something just before the first claim of a message is written.</summary>
public sealed class BeforeClaimStore(ITreatmentStore inner) : ITreatmentStore
{
    private int _claims;

    /// <summary>Runs (once) just before the first claim is written, with the ETag it was read with.</summary>
    public Func<Task>? BeforeFirstClaim { get; set; }

    public Task<bool> TryCreateAsync(Treatment treatment, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken) =>
        inner.TryCreateAsync(treatment, messages, cancellationToken);

    public Task<TreatmentRecord?> FindAsync(string clinicId, string treatmentId, CancellationToken cancellationToken) =>
        inner.FindAsync(clinicId, treatmentId, cancellationToken);

    public Task<Versioned<OutboundMessage>?> FindMessageAsync(string clinicId, string treatmentId, string stageId, CancellationToken cancellationToken) =>
        inner.FindMessageAsync(clinicId, treatmentId, stageId, cancellationToken);

    public Task<string?> TryReplaceMessageAsync(string clinicId, string treatmentId, OutboundMessage message, string etag, CancellationToken cancellationToken) =>
        inner.TryReplaceMessageAsync(clinicId, treatmentId, message, etag, cancellationToken);

    public async Task<string?> TryClaimMessageAsync(Versioned<Treatment> treatment, OutboundMessage claimed, string messageETag, CancellationToken cancellationToken)
    {
        if (BeforeFirstClaim is { } hook && Interlocked.Increment(ref _claims) == 1)
        {
            await hook();
        }

        return await inner.TryClaimMessageAsync(treatment, claimed, messageETag, cancellationToken);
    }

    public Task<string?> TryReplaceTreatmentAsync(Treatment treatment, string etag, CancellationToken cancellationToken) =>
        inner.TryReplaceTreatmentAsync(treatment, etag, cancellationToken);

    public Task<bool> TryReplaceAllAsync(Versioned<Treatment> treatment, IReadOnlyList<Versioned<OutboundMessage>> messages, CancellationToken cancellationToken) =>
        inner.TryReplaceAllAsync(treatment, messages, cancellationToken);
}
