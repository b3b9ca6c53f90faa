using Aftercare.Core.Privacy;
using Aftercare.Storage.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.Functions.Functions;

/// <summary>
/// The retention timer: erases the personal data of treatments whose last message settled more than
/// <c>Aftercare__Privacy__RetentionDays</c> ago, and finishes erasures that waited for a text in flight
/// (<see cref="RetentionSweep"/>). Its schedule is the app setting <c>Aftercare__Privacy__RetentionSchedule</c>
/// (six-field NCrontab, UTC; daily at 03:00 is <c>0 0 3 * * *</c>). It logs what it did and its Table round trips.
/// </summary>
internal sealed class RetentionFunction(RetentionSweep sweep, TableRoundTrips roundTrips, ILogger<RetentionFunction> logger)
{
    public const string Name = "EraseExpiredClientData";

    private const int MaxFailuresLogged = 20;

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%Aftercare:Privacy:RetentionSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        using var calls = roundTrips.BeginScope();
        var report = await sweep.RunAsync(cancellationToken);
        foreach (var failure in report.Failures.Take(MaxFailuresLogged))
        {
            logger.LogError(failure.Exception, "Retention of treatment {TreatmentId} at clinic {ClinicId} failed; it is tried again next run", failure.Entry.TreatmentId, failure.Entry.ClinicId);
        }

        logger.LogInformation(
            "Retention sweep: {Examined} examined, {Erased} erased, {Rescheduled} rescheduled, {Removed} removed, {Faulted} faulted, {RoundTrips} table round trips",
            report.Examined, report.Erased, report.Rescheduled, report.Removed, report.Failures.Count, calls.Calls);
    }
}
