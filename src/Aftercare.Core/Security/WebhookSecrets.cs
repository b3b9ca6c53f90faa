using System.Security.Cryptography;
using Aftercare.Core.Clinics;
using NodaTime;

namespace Aftercare.Core.Security;

/// <summary>
/// A clinic's webhook secrets: issued at creation, rotated on request. After a rotation the replaced secret keeps
/// verifying requests for a grace period the caller chooses, so a clinic can roll the new one out without a failed
/// request; at most two secrets are ever live, so a second rotation within a grace period ends the older secret at once.
/// </summary>
public static class WebhookSecrets
{
    /// <summary>The grace period when the caller names none.</summary>
    public static Duration DefaultGrace { get; } = Duration.FromHours(24);

    /// <summary>The longest grace period: a week, enough to roll a secret out, short enough that a leaked one dies.</summary>
    public static Duration MaxGrace { get; } = Duration.FromDays(7);

    /// <summary>A new clinic secret: 32 random bytes, prefixed so it is recognisable in a secret scanner.</summary>
    public static string Create() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The clinic with <paramref name="newSecret"/> current and its current secret accepted until
    /// <paramref name="now"/> + <paramref name="grace"/>; a zero grace retires it at once. A secret still in an earlier
    /// grace period is dropped.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grace"/> is negative or longer than <see cref="MaxGrace"/>.</exception>
    public static Clinic Rotate(Clinic clinic, string newSecret, Instant now, Duration grace)
    {
        ArgumentNullException.ThrowIfNull(clinic);
        ArgumentException.ThrowIfNullOrEmpty(newSecret);
        if (grace < Duration.Zero || grace > MaxGrace)
        {
            throw new ArgumentOutOfRangeException(nameof(grace), grace, $"A grace period is from zero to {MaxGrace.TotalHours:0} hours.");
        }

        return clinic with
        {
            WebhookSecret = newSecret,
            RetiringWebhookSecret = grace > Duration.Zero ? new RetiringSecret(clinic.WebhookSecret, now + grace) : null,
        };
    }

    /// <summary>The secrets a request signed at <paramref name="now"/> may use: the current one first, then the retiring one until its grace period ends (exclusive).</summary>
    public static IReadOnlyList<string> AcceptedAt(Clinic clinic, Instant now)
    {
        ArgumentNullException.ThrowIfNull(clinic);
        return clinic.RetiringWebhookSecret is { } retiring && now < retiring.AcceptedUntil
            ? [clinic.WebhookSecret, retiring.Secret]
            : [clinic.WebhookSecret];
    }
}
