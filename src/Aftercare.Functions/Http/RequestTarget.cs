using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Aftercare.Functions.Http;

internal static class RequestTarget
{
    /// <summary>
    /// The path and query exactly as the caller sent them (escapes untouched): what clinic and Twilio signatures cover.
    /// </summary>
    public static string Of(HttpContext http) =>
        http.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : (http.Request.PathBase + http.Request.Path + http.Request.QueryString).ToString();
}
