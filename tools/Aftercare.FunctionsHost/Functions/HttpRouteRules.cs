namespace Aftercare.FunctionsHost.Functions;

/// <summary>
/// The route checks azure-functions-host makes before it serves an HTTP function (ScriptHost.ValidateHttpFunction
/// and HttpRoutesConflict): no route in the host's own space (<c>admin…</c>, <c>runtime…</c>), and no two functions
/// on the same route with a method in common.
/// </summary>
internal static class HttpRouteRules
{
    /// <summary>The route template without the prefix: the declared route, or the function name when none is declared.</summary>
    public static string RouteOf(FunctionDescriptor function, HttpTriggerBinding http) =>
        string.IsNullOrWhiteSpace(http.Route) ? function.Name : http.Route;

    /// <summary>Why the function cannot be served next to <paramref name="accepted"/>, or null when it can.</summary>
    public static string? Check(FunctionDescriptor function, IEnumerable<FunctionDescriptor> accepted)
    {
        if (function.Trigger is not HttpTriggerBinding http)
        {
            return null;
        }

        var route = RouteOf(function, http).Trim('/');
        if (route.StartsWith("admin", StringComparison.OrdinalIgnoreCase) || route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase))
        {
            return "The specified route conflicts with one or more built in routes.";
        }

        foreach (var other in accepted)
        {
            if (other.Trigger is HttpTriggerBinding otherHttp
                && string.Equals(route, RouteOf(other, otherHttp).Trim('/'), StringComparison.OrdinalIgnoreCase)
                && MethodsIntersect(http.Methods, otherHttp.Methods))
            {
                return $"The route specified conflicts with the route defined by function '{other.Name}'.";
            }
        }

        return null;
    }

    private static bool MethodsIntersect(IReadOnlyList<string> methods, IReadOnlyList<string> otherMethods) =>
        methods.Count == 0 || otherMethods.Count == 0 || methods.Intersect(otherMethods, StringComparer.OrdinalIgnoreCase).Any();
}
