using Aftercare.Core;
using Aftercare.Core.Treatments;
using Aftercare.Functions.Contracts;
using Aftercare.Functions.Http;

namespace Aftercare.Functions.Endpoints;

internal static class TreatmentEndpoints
{
    public static IEndpointRouteBuilder MapTreatmentEndpoints(this IEndpointRouteBuilder routes)
    {
        var clinic = routes.MapGroup("/api/clinics/{clinicId}/treatments")
            .AddEndpointFilter<ClinicSignatureFilter>()
            .WithTags("Treatments");

        clinic.MapPost("/", RegisterAsync).WithName("RegisterTreatment");
        clinic.MapGet("/{externalId}", GetAsync).WithName("GetTreatment");
        clinic.MapDelete("/{externalId}", CancelAsync).WithName("CancelTreatment");
        return routes;
    }

    private static async Task<IResult> RegisterAsync(HttpContext http, TreatmentRegistrar registrar, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!JsonBody.TryParse<RegisterTreatmentRequest>(http.SignedBody(), out var request, out var problem))
        {
            return problem!;
        }

        var errors = new ValidationErrors();
        var command = TreatmentRequestValidator.Validate(request!, time.GetCurrentInstant(), errors);
        if (command is null)
        {
            return Problems.Validation(errors);
        }

        var clinic = http.Clinic();
        var result = await registrar.RegisterAsync(clinic, command, cancellationToken);
        var body = result.ToResponse();
        return result.Created
            ? TypedResults.Created($"/api/clinics/{clinic.Id}/treatments/{Uri.EscapeDataString(command.ExternalId)}", body)
            : TypedResults.Ok(body);
    }

    private static async Task<IResult> GetAsync(HttpContext http, string externalId, ITreatmentStore treatments, CancellationToken cancellationToken)
    {
        var clinic = http.Clinic();
        var record = await treatments.FindAsync(clinic.Id, TreatmentIds.For(clinic.Id, externalId), cancellationToken);
        return record is null ? Problems.NotFound("No treatment with that external id at this clinic.") : TypedResults.Ok(record.ToResponse());
    }

    private static async Task<IResult> CancelAsync(HttpContext http, string externalId, TreatmentCanceller canceller, CancellationToken cancellationToken)
    {
        var record = await canceller.CancelAsync(http.Clinic().Id, externalId, cancellationToken);
        return record is null ? Problems.NotFound("No treatment with that external id at this clinic.") : TypedResults.Ok(record.ToResponse());
    }
}
