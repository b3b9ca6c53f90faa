namespace Aftercare.Functions.Http;

/// <summary>RFC 9457 problem responses with stable type URIs, so a clinic's software can branch on them.</summary>
internal static class Problems
{
    private const string TypeBase = "https://aftercare.example/problems/";

    public static IResult Validation(ValidationErrors errors) => TypedResults.ValidationProblem(
        errors.ToDictionary(), title: "The request is not valid.", type: TypeBase + "validation");

    public static IResult MalformedJson(string detail) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status400BadRequest, title: "The body is not valid JSON for this request.", type: TypeBase + "malformed-json");

    public static IResult Unauthorized(string detail) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status401Unauthorized, title: "The request signature was not accepted.", type: TypeBase + "signature");

    public static IResult NotFound(string title) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: title, type: TypeBase + "not-found");

    public static IResult PayloadTooLarge(long limit) => TypedResults.Problem(
        $"Bodies are limited to {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large.", type: TypeBase + "too-large");
}
