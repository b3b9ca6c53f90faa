using System.Globalization;
using Aftercare.Core.Treatments;
using Aftercare.Testing;

namespace Aftercare.Chaos;

/// <summary>The run's figures, one per line, ending with the summary line; and the reasons it failed, if it did.</summary>
internal sealed record ChaosReport
{
    private const double MinimumFaultShare = 0.10;

    public required ChaosOptions Options { get; init; }

    public required int Kills { get; init; }

    public required int DispatcherRestarts { get; init; }

    public required int AzuriteRestarts { get; init; }

    /// <summary>Share of messages settled when storage was stopped.</summary>
    public double? SettledAtAzuriteStop { get; init; }

    public required IReadOnlyList<TwilioStandInRequest> CreateRequests { get; init; }

    public required ChaosVerdict Verdict { get; init; }

    public required bool TimedOut { get; init; }

    public required TimeSpan DispatchTime { get; init; }

    public required TimeSpan WallTime { get; init; }

    public int Faults => CreateRequests.Count(r => r.Fault != TwilioStandInFault.None);

    public double FaultShare => CreateRequests.Count == 0 ? 0 : (double)Faults / CreateRequests.Count;

    public IReadOnlyList<string> Failures()
    {
        var failures = new List<string>();
        if (TimedOut)
        {
            failures.Add($"not every message settled within the time limit ({Options.TimeLimit.TotalSeconds:0} s)");
        }

        if (Verdict.Duplicates > 0)
        {
            failures.Add($"{Verdict.Duplicates} text(s) created more than once");
        }

        if (Verdict.Lost > 0)
        {
            failures.Add($"{Verdict.Lost} message(s) lost: {Verdict.NotSettled} not settled, {Verdict.SentNeverCreated} recorded sent but never created, {Verdict.CreatedNotRecordedSent} created but not recorded sent");
        }

        if (Verdict.WrongProviderId > 0)
        {
            failures.Add($"{Verdict.WrongProviderId} sent message(s) recorded under a SID the stand-in did not give them");
        }

        if (Verdict.TextsAltered > 0)
        {
            failures.Add($"{Verdict.TextsAltered} message(s) sent with a text other than the seeded one, with or without the opt-out line");
        }

        if (Verdict.MissingReason > 0)
        {
            failures.Add($"{Verdict.MissingReason} message(s) settled unsent without a reason");
        }

        if (Kills < Options.Kills)
        {
            failures.Add($"only {Kills} dispatcher kill(s), {Options.Kills} required");
        }

        if (AzuriteRestarts != 1)
        {
            failures.Add($"{AzuriteRestarts} Azurite restart(s), exactly one required");
        }

        if (FaultShare < MinimumFaultShare)
        {
            failures.Add($"faults were {FaultShare * 100:0.0}% of create calls, at least {MinimumFaultShare * 100:0}% required");
        }

        return failures;
    }

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var culture = CultureInfo.InvariantCulture;
        var statuses = Verdict.Statuses;
        var others = statuses
            .Where(s => s.Key is not ("sent" or "suppressed" or "failed"))
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => $"{s.Key} {s.Value}")
            .ToList();

        output.WriteLine(string.Create(culture, $"messages: {Options.Messages}"));
        output.WriteLine(string.Create(culture, $"treatments: {Options.Treatments}"));
        output.WriteLine(string.Create(culture, $"dispatchers: {Options.Dispatchers}"));
        output.WriteLine(string.Create(culture, $"kills: {Kills}"));
        output.WriteLine(string.Create(culture, $"dispatcher restarts after exiting on their own: {DispatcherRestarts}"));
        output.WriteLine(string.Create(culture, $"azurite restarts: {AzuriteRestarts}{(SettledAtAzuriteStop is { } at ? $" (stopped at {at * 100:0}% settled)" : string.Empty)}"));
        output.WriteLine(string.Create(culture, $"twilio create calls: {CreateRequests.Count}"));
        output.WriteLine(string.Create(culture, $"faults injected: {Faults} ({FaultShare * 100:0.0}% of create calls)"));
        foreach (var kind in Enum.GetValues<TwilioStandInFault>().Where(f => f != TwilioStandInFault.None))
        {
            output.WriteLine(string.Create(culture, $"faults {kind}: {CreateRequests.Count(r => r.Fault == kind)}"));
        }

        output.WriteLine(string.Create(culture, $"sent: {Verdict.Count(MessageStatus.Sent)}"));
        output.WriteLine(string.Create(culture, $"suppressed: {Verdict.Count(MessageStatus.Suppressed)}"));
        output.WriteLine(string.Create(culture, $"failed: {Verdict.Count(MessageStatus.Failed)}"));
        output.WriteLine("other statuses: " + (others.Count == 0 ? "none" : string.Join(", ", others)));
        output.WriteLine(string.Create(culture, $"messages claimed more than once: {Verdict.ClaimedMoreThanOnce}"));
        output.WriteLine(string.Create(culture, $"duplicates: {Verdict.Duplicates}"));
        output.WriteLine(string.Create(culture, $"lost: {Verdict.Lost}"));
        output.WriteLine(string.Create(culture, $"dispatch time: {DispatchTime.TotalSeconds:0.0} s"));
        output.WriteLine(string.Create(culture, $"wall time: {WallTime.TotalSeconds:0.0} s"));
        output.WriteLine(string.Create(culture, $"duplicates={Verdict.Duplicates} lost={Verdict.Lost}"));
    }
}
