using Aftercare.Core;
using Aftercare.Core.Clinics;
using Aftercare.Core.Security;
using Aftercare.Functions.Clinics;
using Aftercare.Functions.Contracts;
using Aftercare.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using NodaTime;

namespace Aftercare.Functions.Functions;

/// <summary>
/// <c>POST /api/manage/clinics/{clinicId}/secret</c> (master key): rotates a clinic's webhook secret. The answer, 200
/// with the new secret, is the only place it is ever shown (<c>Cache-Control: no-store</c>); the replaced secret keeps
/// verifying the clinic's requests for <c>graceHours</c> (0–168, default 24), then stops. Rotating again within a grace
/// period ends the older secret at once: at most two are ever live (<see cref="WebhookSecrets"/>).
/// </summary>
internal sealed class ClinicSecretFunction(CachedClinicStore clinics, TimeProvider time)
{
    public const string Name = "RotateClinicSecret";

    private const int MaxBodyBytes = 1024;

    [Function(Name)]
    public async Task<IResult> RotateAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "manage/clinics/{clinicId}/secret")] HttpRequest request,
        string clinicId,
        CancellationToken cancellationToken)
    {
        var (options, problem) = await JsonBody.ReadOptionalAsync<RotateSecretRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var maxHours = (int)WebhookSecrets.MaxGrace.TotalHours;
        var hours = options?.GraceHours ?? (int)WebhookSecrets.DefaultGrace.TotalHours;
        if (hours < 0 || hours > maxHours)
        {
            var errors = new ValidationErrors();
            errors.Add("graceHours", $"From 0 (the old secret stops at once) to {maxHours} hours.");
            return Problems.Validation(errors);
        }

        var secret = WebhookSecrets.Create();
        var now = time.GetCurrentInstant();
        var rotated = ClinicIds.IsWellFormed(clinicId)
            ? await clinics.UpdateAsync(clinicId, clinic => WebhookSecrets.Rotate(clinic, secret, now, Duration.FromHours(hours)), cancellationToken)
            : null;
        if (rotated is null)
        {
            return Problems.NotFound("No such clinic.");
        }

        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RotatedSecretResponse(rotated.Id, secret, rotated.RetiringWebhookSecret?.AcceptedUntil.ToDateTimeOffset()));
    }
}
