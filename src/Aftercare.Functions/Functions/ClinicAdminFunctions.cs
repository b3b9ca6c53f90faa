using Aftercare.Core.Clinics;
using Aftercare.Core.Plans;
using Aftercare.Functions.Clinics;
using Aftercare.Functions.Contracts;
using Aftercare.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Aftercare.Functions.Functions;

/// <summary>
/// Clinic administration, behind the host's master key (<see cref="AuthorizationLevel.Admin"/>). The route is
/// <c>/api/manage/…</c> rather than <c>/api/admin/…</c> because the Functions host reserves every route starting with
/// "admin" ("The specified route conflicts with one or more built in routes").
/// </summary>
internal sealed class ClinicAdminFunctions(CachedClinicStore clinics, IPlanCatalog plans, TimeProvider time)
{
    private const int MaxBodyBytes = 32 * 1024;

    [Function("CreateClinic")]
    public async Task<IResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "manage/clinics")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateClinicRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var clinic = ClinicRequestValidator.ValidateCreate(body!, plans, errors, time);
        if (clinic is null)
        {
            return Problems.Validation(errors);
        }

        await clinics.CreateAsync(clinic, cancellationToken);
        return TypedResults.Created($"/api/manage/clinics/{clinic.Id}", new CreatedClinicResponse(clinic.Id, clinic.WebhookSecret, clinic.ToResponse()));
    }

    [Function("GetClinic")]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "manage/clinics/{clinicId}")] HttpRequest request,
        string clinicId,
        CancellationToken cancellationToken)
    {
        var clinic = ClinicIds.IsWellFormed(clinicId) ? await clinics.FindAsync(clinicId, cancellationToken) : null;
        return clinic is null ? Problems.NotFound("No such clinic.") : TypedResults.Ok(clinic.ToResponse());
    }

    [Function("UpdateClinic")]
    public async Task<IResult> UpdateAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "patch", Route = "manage/clinics/{clinicId}")] HttpRequest request,
        string clinicId,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<UpdateClinicRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var change = ClinicRequestValidator.ValidateUpdate(body!, plans, errors);
        if (change is null)
        {
            return Problems.Validation(errors);
        }

        var updated = ClinicIds.IsWellFormed(clinicId) ? await clinics.UpdateAsync(clinicId, change, cancellationToken) : null;
        return updated is null ? Problems.NotFound("No such clinic.") : TypedResults.Ok(updated.ToResponse());
    }
}
