using System.Reflection;

namespace Aftercare.Chaos;

/// <summary>Where the build put the real handler (Aftercare.Functions.dll) of this configuration.</summary>
internal static class HandlerLocation
{
    public static string FunctionsDll()
    {
        var path = typeof(HandlerLocation).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "FunctionsHandlerDll")?.Value;
        return path is not null && File.Exists(path)
            ? path
            : throw new InvalidOperationException($"The handler is not built at '{path}'. Build tests/Aftercare.Chaos (it builds src/Aftercare.Functions first).");
    }
}
