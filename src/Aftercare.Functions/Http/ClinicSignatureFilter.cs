using Aftercare.Core;
using Aftercare.Core.Clinics;
using Aftercare.Core.Security;

namespace Aftercare.Functions.Http;

/// <summary>
/// The tenant check on every clinic request: the body is read once (bounded), and the <c>Aftercare-Signature</c>
/// header must be a fresh HMAC of it under the secret of the clinic named in the route. An unknown clinic answers
/// exactly like a bad signature, so clinic ids cannot be probed.
/// </summary>
internal sealed class ClinicSignatureFilter(IClinicStore clinics, TimeProvider time) : IEndpointFilter
{
    public const int MaxBodyBytes = 64 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var body = await BoundedBody.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
        if (body is null)
        {
            return Problems.PayloadTooLarge(MaxBodyBytes);
        }

        var clinicId = http.Request.RouteValues["clinicId"] as string;
        var clinic = ClinicIds.IsWellFormed(clinicId) ? await clinics.FindAsync(clinicId!, http.RequestAborted) : null;
        var target = RequestTarget.Of(http);
        var check = clinic is null
            ? SignatureCheck.Mismatch
            : ClinicSignature.Verify(http.Request.Headers[ClinicSignature.HeaderName], clinic.WebhookSecret, time.GetCurrentInstant(), http.Request.Method, target, body);
        if (check != SignatureCheck.Valid)
        {
            return Problems.Unauthorized(check switch
            {
                SignatureCheck.Missing => $"The {ClinicSignature.HeaderName} header is required.",
                SignatureCheck.Malformed => $"The {ClinicSignature.HeaderName} header must look like t=<unix seconds>,v1=<64 lowercase hex>.",
                SignatureCheck.Stale => $"The signature timestamp is more than {ClinicSignature.Tolerance.TotalSeconds:0} seconds from now.",
                _ => "The signature does not match this clinic's secret, method, path and body.",
            });
        }

        http.Items[typeof(Clinic)] = clinic;
        http.Items[typeof(SignedBody)] = new SignedBody(body);
        return await next(context);
    }
}

/// <summary>The exact bytes a clinic signed.</summary>
internal sealed record SignedBody(byte[] Bytes);

internal static class ClinicRequestExtensions
{
    public static Clinic Clinic(this HttpContext http) => (Clinic)http.Items[typeof(Clinic)]!;

    public static byte[] SignedBody(this HttpContext http) => ((SignedBody)http.Items[typeof(SignedBody)]!).Bytes;
}
