using Aftercare.Core;
using Aftercare.Core.Phones;
using Aftercare.Core.Plans;
using Aftercare.Core.Treatments;
using Aftercare.Functions.Contracts;
using Aftercare.Functions.Http;
using Aftercare.Functions.Plans;
using Aftercare.Functions.Telemetry;
using Aftercare.Functions.Treatments;
using Aftercare.Storage.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.Functions.Functions;

/// <summary>
/// The clinic-facing treatment API. Each request passes the host's function key and then the clinic's
/// <c>Aftercare-Signature</c> (<see cref="ClinicRequestAuthenticator"/>); a clinic only ever sees its own treatments.
/// A registration logs its outcome and its Table round trips, the clinic look-up included (no personal data).
/// </summary>
internal sealed class TreatmentFunctions(
    ClinicRequestAuthenticator authenticator,
    TreatmentRegistrar registrar,
    TreatmentCanceller canceller,
    ITreatmentStore treatments,
    ReplyTimeline replies,
    IPlanCatalog plans,
    TimeProvider time,
    TreatmentTelemetry telemetry,
    TableRoundTrips roundTrips,
    ILogger<TreatmentFunctions> logger)
{
    private const string NotFoundTitle = "No treatment with that external id at this clinic.";

    [Function("RegisterTreatment")]
    public async Task<IResult> RegisterAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "clinics/{clinicId}/treatments")] HttpRequest request,
        string clinicId,
        CancellationToken cancellationToken)
    {
        using var calls = roundTrips.BeginScope();
        var (outcome, answer) = await RegisterSignedAsync(request, clinicId, cancellationToken);
        logger.LogInformation("Treatment registration: {Outcome}, {RoundTrips} table round trips", outcome, calls.Calls);
        return answer;
    }

    private async Task<(string Outcome, IResult Answer)> RegisterSignedAsync(HttpRequest request, string clinicId, CancellationToken cancellationToken)
    {
        var signed = await authenticator.AuthenticateAsync(request, clinicId, cancellationToken);
        if (signed.Problem is { } refused)
        {
            return ("refused", refused);
        }

        if (JsonBody.UnsupportedContentType(request) is { } unsupported)
        {
            return ("invalid", unsupported);
        }

        if (!JsonBody.TryParse<RegisterTreatmentRequest>(signed.Body, out var body, out var problem))
        {
            return ("invalid", problem!);
        }

        var errors = new ValidationErrors();
        var command = TreatmentRequestValidator.Validate(
            body!, time.GetCurrentInstant(), CanonicalPhone.RegionOf(signed.Clinic.ContactPhone), PlanLocales.Supported(plans), errors);
        if (command is null)
        {
            return ("invalid", Problems.Validation(errors));
        }

        var result = await registrar.RegisterAsync(signed.Clinic, command, cancellationToken);
        telemetry.RebookPromptsCancelled(signed.Clinic.Id, result.RebookPromptsCancelled);
        if (result.IsConflict)
        {
            return ("conflict", Problems.IdempotencyConflict(result.DifferingFields));
        }

        var response = result.ToResponse();
        return result.Created
            ? ("created", TypedResults.Created($"/api/clinics/{signed.Clinic.Id}/treatments/{Uri.EscapeDataString(command.ExternalId)}", response))
            : ("existing", TypedResults.Ok(response));
    }

    [Function("GetTreatment")]
    public Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "clinics/{clinicId}/treatments/{externalId}")] HttpRequest request,
        string clinicId,
        string externalId,
        CancellationToken cancellationToken) =>
        TimelineAsync(request, clinicId, clinic => treatments.FindAsync(clinic, TreatmentIds.For(clinic, externalId), cancellationToken), cancellationToken);

    [Function("CancelTreatment")]
    public Task<IResult> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "clinics/{clinicId}/treatments/{externalId}")] HttpRequest request,
        string clinicId,
        string externalId,
        CancellationToken cancellationToken) =>
        TimelineAsync(request, clinicId, async clinic =>
        {
            var record = await canceller.CancelAsync(clinic, externalId, cancellationToken);
            if (record is not null)
            {
                telemetry.Cancelled(clinic, record.Messages.Count(m => m.Value.Status == MessageStatus.Cancelled && m.Value.StatusReason == TreatmentCanceller.Reason));
            }

            return record;
        }, cancellationToken);

    /// <summary>Authenticates the clinic, then answers the timeline <paramref name="record"/> finds for it, or 404.</summary>
    private async Task<IResult> TimelineAsync(
        HttpRequest request, string clinicId, Func<string, Task<TreatmentRecord?>> record, CancellationToken cancellationToken)
    {
        var signed = await authenticator.AuthenticateAsync(request, clinicId, cancellationToken);
        if (signed.Problem is { } refused)
        {
            return refused;
        }

        if (await record(signed.Clinic.Id) is not { } found)
        {
            return Problems.NotFound(NotFoundTitle);
        }

        var treatment = found.Treatment.Value;
        return TypedResults.Ok(found.ToResponse(await replies.ListAsync(treatment.ClinicId, treatment.TreatmentId, cancellationToken)));
    }
}
