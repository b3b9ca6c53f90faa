using Microsoft.AspNetCore.Http.Features;

namespace Aftercare.Functions.Http;

internal static class RequestTarget
{
    /// <summary>The path and query exactly as the caller sent them: what clinic and Twilio signatures cover.</summary>
    public static string Of(HttpContext http) =>
        http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (http.Request.Path + http.Request.QueryString).ToString();
}
