using Aftercare.Core;
using Aftercare.Core.Clinics;
using Aftercare.Core.Security;
using Aftercare.Functions.Clinics;
using Microsoft.AspNetCore.Http;

namespace Aftercare.Functions.Http;

/// <summary>
/// The tenant check on every clinic request: the body is read once (bounded), and the <c>Aftercare-Signature</c>
/// header must be a fresh HMAC of it under a secret of the clinic named in the route (DESIGN.md, "Public HTTP
/// contract"): its current one, or the one it rotated away from while the grace period lasts
/// (<see cref="WebhookSecrets.AcceptedAt"/>). An unknown clinic answers exactly like a bad signature, so clinic ids
/// cannot be probed.
/// </summary>
internal sealed class ClinicRequestAuthenticator(CachedClinicStore clinics, TimeProvider time)
{
    /// <summary>The largest clinic request body, in bytes.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Reads and checks the request; the result holds either the clinic and the signed body, or the problem to answer.</summary>
    public async Task<SignedClinicRequest> AuthenticateAsync(HttpRequest request, string clinicId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await BoundedBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return SignedClinicRequest.Refused(Problems.PayloadTooLarge(MaxBodyBytes));
        }

        var clinic = ClinicIds.IsWellFormed(clinicId) ? await clinics.FindAsync(clinicId, cancellationToken) : null;
        var check = clinic is null ? SignatureCheck.Mismatch : Verify(request, clinic, body);
        return check == SignatureCheck.Valid
            ? new SignedClinicRequest(clinic, body, null)
            : SignedClinicRequest.Refused(Problems.Unauthorized(check switch
            {
                SignatureCheck.Missing => $"The {ClinicSignature.HeaderName} header is required.",
                SignatureCheck.Malformed => $"The {ClinicSignature.HeaderName} header must look like t=<unix seconds>,v1=<64 lowercase hex>.",
                SignatureCheck.Stale => $"The signature timestamp is more than {ClinicSignature.Tolerance.TotalSeconds:0} seconds from now.",
                _ => "The signature does not match this clinic's secret, method, path and body.",
            }));
    }

    /// <summary>
    /// Valid under any accepted secret and any spelling of the target (<see cref="RequestTarget.SpellingsOf"/>);
    /// otherwise what the current secret says (a missing, malformed or stale header is so under any).
    /// </summary>
    private SignatureCheck Verify(HttpRequest request, Clinic clinic, byte[] body)
    {
        var now = time.GetCurrentInstant();
        string? header = request.Headers[ClinicSignature.HeaderName];
        var targets = RequestTarget.SpellingsOf(request.HttpContext);
        var checks = WebhookSecrets.AcceptedAt(clinic, now)
            .SelectMany(secret => targets.Select(target => ClinicSignature.Verify(header, secret, now, request.Method, target, body)))
            .ToList();
        return checks.Contains(SignatureCheck.Valid) ? SignatureCheck.Valid : checks[0];
    }
}

/// <summary>A clinic request after the signature check: the clinic and the exact bytes it signed, or the problem to answer.</summary>
internal sealed record SignedClinicRequest(Clinic? ClinicOrNull, byte[] Body, IResult? Problem)
{
    /// <summary>The authenticated clinic; only valid when <see cref="Problem"/> is null.</summary>
    public Clinic Clinic => ClinicOrNull ?? throw new InvalidOperationException("The request was refused: answer its Problem.");

    public static SignedClinicRequest Refused(IResult problem) => new(null, [], problem);
}
