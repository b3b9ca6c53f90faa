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

    /// <summary>
    /// The target as received and, when its path holds a '+', as the caller wrote it: the Functions host forwards a path
    /// to the worker decoded and escaped again (YARP, which leaves '+' as it is), so a client's <c>%2B</c> (the way
    /// DESIGN.md has a phone number written in a path) arrives as '+'. Both spell the same resource.
    /// </summary>
    public static IReadOnlyList<string> SpellingsOf(HttpContext http)
    {
        var target = Of(http);
        var queryAt = target.IndexOf('?', StringComparison.Ordinal);
        var path = queryAt < 0 ? target : target[..queryAt];
        return path.Contains('+', StringComparison.Ordinal)
            ? [target, path.Replace("+", "%2B", StringComparison.Ordinal) + target[path.Length..]]
            : [target];
    }
}
