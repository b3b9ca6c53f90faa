using Aftercare.Core.Privacy;
using Aftercare.Functions.Clients;
using Aftercare.Functions.Contracts;
using Aftercare.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.Functions.Functions;

/// <summary>
/// <c>DELETE /api/clinics/{clinicId}/clients/{phone}</c> (function key and the clinic's signature): erases a client's
/// personal data at the clinic (<see cref="ClientErasure"/>) and answers what was erased, never the data: 200 when it is
/// done (the same answer every time after), 202 while texts to the client are on their way (asking again once they have
/// settled finishes it; so does the next retention sweep), 404 when the clinic never registered the number.
/// </summary>
internal sealed class ClientErasureFunction(ClinicRequestAuthenticator authenticator, ClientErasure erasure, ILogger<ClientErasureFunction> logger)
{
    public const string Name = "EraseClient";

    [Function(Name)]
    public async Task<IResult> EraseAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "clinics/{clinicId}/clients/{phone}")] HttpRequest request,
        string clinicId,
        string phone,
        CancellationToken cancellationToken)
    {
        var signed = await authenticator.AuthenticateAsync(request, clinicId, cancellationToken);
        if (signed.Problem is { } refused)
        {
            return refused;
        }

        if (!ClientPhoneRoute.TryParse(phone, out var e164))
        {
            var errors = new ValidationErrors();
            errors.Add("phone", ClientPhoneRoute.Problem);
            return Problems.Validation(errors);
        }

        var result = await erasure.EraseAsync(signed.Clinic.Id, e164, cancellationToken);
        if (result is null)
        {
            return Problems.NotFound("No client with that number at this clinic.");
        }

        var (erased, inFlight) = (result.Erased, result.InFlightMessages);
        logger.LogInformation(
            "Erasure at clinic {ClinicId}: {Treatments} treatments and {Messages} texts erased, {Cancelled} cancelled, {InFlight} in flight",
            signed.Clinic.Id, erased.Treatments, erased.Messages, erased.CancelledMessages, inFlight);
        var response = new ClientErasureResponse(erased.Treatments, erased.Messages, erased.CancelledMessages, inFlight);
        return result.IsComplete ? TypedResults.Ok(response) : TypedResults.Accepted((string?)null, response);
    }
}
