namespace Aftercare.FunctionsHost.Functions;

/// <summary>The functions one worker loaded, by name (case-insensitive, as the host looks them up), and the ones it could not.</summary>
internal sealed class FunctionCatalog(IReadOnlyList<FunctionDescriptor> loaded, IReadOnlyDictionary<string, string> errors)
{
    private readonly Dictionary<string, FunctionDescriptor> _byName =
        loaded.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<FunctionDescriptor> Loaded { get; } = loaded;

    /// <summary>Function name → why it is not served (indexing error, route conflict, load failure).</summary>
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;

    public FunctionDescriptor? Find(string name) => _byName.GetValueOrDefault(name);
}
