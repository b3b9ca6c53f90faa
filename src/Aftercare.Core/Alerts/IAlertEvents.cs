using NodaTime;

namespace Aftercare.Core.Alerts;

/// <summary>What alert delivery reports for operators: ids, types, attempt counts and reasons, never a name, number or text.</summary>
public interface IAlertEvents
{
    /// <summary>Delivered on attempt <paramref name="attempts"/>, <paramref name="age"/> after the alert was created.</summary>
    void Delivered(ClinicAlert alert, int attempts, Duration age);

    /// <summary>An attempt failed; the alert is tried again at <paramref name="nextAttemptAt"/> (UTC).</summary>
    void Retrying(ClinicAlert alert, int attempts, string reason, Instant nextAttemptAt);

    /// <summary>Given up after <paramref name="attempts"/> attempts: the retry window passed, or there is nowhere to send it.</summary>
    void Failed(ClinicAlert alert, int attempts, string reason);

    /// <summary>One sweep finished.</summary>
    void SweepCompleted(AlertSweepReport report);
}

/// <summary>Counts from one sweep of the outbox.</summary>
public sealed record AlertSweepReport(int Due, int Delivered, int Retrying, int Failed, int Held);
