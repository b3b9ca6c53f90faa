using Aftercare.Core;
using Aftercare.Core.Phones;
using Aftercare.Core.Plans;
using Aftercare.Core.Treatments;
using Aftercare.Functions.Contracts;
using Aftercare.Functions.Http;
using Aftercare.Functions.Plans;
using Aftercare.Functions.Telemetry;
using Aftercare.Functions.Treatments;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Aftercare.Functions.Functions;

/// <summary>
/// The clinic-facing treatment API. Each request passes the host's function key and then the clinic's
/// <c>Aftercare-Signature</c> (<see cref="ClinicRequestAuthenticator"/>); a clinic only ever sees its own treatments.
/// </summary>
internal sealed class TreatmentFunctions(
    ClinicRequestAuthenticator authenticator,
    TreatmentRegistrar registrar,
    TreatmentCanceller canceller,
    ITreatmentStore treatments,
    ReplyTimeline replies,
    IPlanCatalog plans,
    TimeProvider time,
    TreatmentTelemetry telemetry)
{
    private const string NotFoundTitle = "No treatment with that external id at this clinic.";

    [Function("RegisterTreatment")]
    public async Task<IResult> RegisterAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "clinics/{clinicId}/treatments")] HttpRequest request,
        string clinicId,
        CancellationToken cancellationToken)
    {
        var signed = await authenticator.AuthenticateAsync(request, clinicId, cancellationToken);
        if (signed.Problem is { } refused)
        {
            return refused;
        }

        if (JsonBody.UnsupportedContentType(request) is { } unsupported)
        {
            return unsupported;
        }

        if (!JsonBody.TryParse<RegisterTreatmentRequest>(signed.Body, out var body, out var problem))
        {
            return problem!;
        }

        var errors = new ValidationErrors();
        var command = TreatmentRequestValidator.Validate(
            body!, time.GetCurrentInstant(), CanonicalPhone.RegionOf(signed.Clinic.ContactPhone), PlanLocales.Supported(plans), errors);
        if (command is null)
        {
            return Problems.Validation(errors);
        }

        var result = await registrar.RegisterAsync(signed.Clinic, command, cancellationToken);
        telemetry.RebookPromptsCancelled(signed.Clinic.Id, result.RebookPromptsCancelled);
        if (result.IsConflict)
        {
            return Problems.IdempotencyConflict(result.DifferingFields);
        }

        var response = result.ToResponse();
        return result.Created
            ? TypedResults.Created($"/api/clinics/{signed.Clinic.Id}/treatments/{Uri.EscapeDataString(command.ExternalId)}", response)
            : TypedResults.Ok(response);
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
