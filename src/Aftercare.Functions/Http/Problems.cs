using Microsoft.AspNetCore.Http;

namespace Aftercare.Functions.Http;

/// <summary>RFC 9457 problem responses with stable type URIs, so a clinic's software can branch on them.</summary>
internal static class Problems
{
    private const string TypeBase = "https://aftercare.example/problems/";

    private static readonly string[] DiffersFromStored = ["Differs from the registration stored under this externalId."];

    public static IResult Validation(ValidationErrors errors) => TypedResults.ValidationProblem(
        errors.ToDictionary(), title: "The request is not valid.", type: TypeBase + "validation");

    public static IResult MalformedJson(string detail) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status400BadRequest, title: "The body is not valid JSON for this request.", type: TypeBase + "malformed-json");

    public static IResult MalformedBody(string detail) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status400BadRequest, title: "The body could not be read.", type: TypeBase + "malformed-body");

    public static IResult Unauthorized(string detail) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status401Unauthorized, title: "The request signature was not accepted.", type: TypeBase + "signature");

    /// <summary>403 for a webhook whose signature does not match (Twilio's own validation examples answer 403).</summary>
    public static IResult SignatureForbidden(string detail) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status403Forbidden, title: "The request signature was not accepted.", type: TypeBase + "signature");

    public static IResult Forbidden(string detail) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status403Forbidden, title: "This endpoint is not enabled here.", type: TypeBase + "forbidden");

    public static IResult UnsupportedMediaType(string detail) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type.", type: TypeBase + "media-type");

    public static IResult Conflict(string detail) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict.", type: TypeBase + "conflict");

    /// <summary>
    /// 409 for an external id already registered with a different body: <c>errors</c> names each differing field (as a
    /// validation problem does), never the stored values.
    /// </summary>
    public static IResult IdempotencyConflict(IReadOnlyList<string> fields) => TypedResults.Problem(
        $"Registering an externalId again needs the same body; these fields differ from the stored registration: {string.Join(", ", fields)}. Nothing was changed.",
        statusCode: StatusCodes.Status409Conflict,
        title: "This externalId is already registered with a different body.",
        type: TypeBase + "idempotency-conflict",
        extensions: new Dictionary<string, object?>
        {
            ["errors"] = fields.ToDictionary(field => field, _ => DiffersFromStored, StringComparer.Ordinal),
        });

    public static IResult NotFound(string title) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: title, type: TypeBase + "not-found");

    public static IResult PayloadTooLarge(long limit) => TypedResults.Problem(
        $"Bodies are limited to {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large.", type: TypeBase + "too-large");

    public static IResult StorageUnreachable() => TypedResults.Problem(
        "Table storage did not answer.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unreachable", type: TypeBase + "storage-unreachable");

    /// <summary>An unexpected failure: no detail for the caller, the exception is logged with the invocation id.</summary>
    public static IResult Unexpected(string invocationId) => TypedResults.Problem(
        $"Invocation {invocationId} failed; the operators have the details.",
        statusCode: StatusCodes.Status500InternalServerError,
        title: "Something went wrong on our side.",
        type: TypeBase + "internal");
}
