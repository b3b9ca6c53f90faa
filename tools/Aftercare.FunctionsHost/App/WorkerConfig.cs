using System.Text.Json;

namespace Aftercare.FunctionsHost.App;

/// <summary>
/// How to start the worker, from the <c>description</c> of the app's <c>worker.config.json</c> (written by
/// Microsoft.Azure.Functions.Worker.Sdk). The command line is built as azure-functions-host's
/// DefaultWorkerProcessFactory.GetArguments does: executable, <c>arguments</c>, the worker path,
/// <c>workerArguments</c>, then the gRPC arguments.
/// </summary>
/// <param name="ExecutablePath"><c>defaultExecutablePath</c>, e.g. <c>dotnet</c>.</param>
/// <param name="WorkerPath"><c>defaultWorkerPath</c> made absolute against the app folder, or null.</param>
/// <param name="ExecutableArguments"><c>arguments</c>: placed before the worker path.</param>
/// <param name="WorkerArguments"><c>workerArguments</c>: placed after the worker path.</param>
internal sealed record WorkerConfig(
    string ExecutablePath,
    string? WorkerPath,
    IReadOnlyList<string> ExecutableArguments,
    IReadOnlyList<string> WorkerArguments)
{
    public const string FileName = "worker.config.json";

    /// <exception cref="FileNotFoundException">The folder has no worker.config.json (not an isolated worker's output).</exception>
    /// <exception cref="InvalidOperationException">The file has no <c>description.defaultExecutablePath</c>.</exception>
    public static WorkerConfig Read(string appDirectory)
    {
        var path = Path.Combine(appDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No {FileName} in {appDirectory}: point --app at the isolated worker's build output.", path);
        }

        using var document = JsonFile.Parse(path);
        if (!JsonFile.TryGetProperty(document.RootElement, "description", out var description))
        {
            throw new InvalidOperationException($"{path} has no 'description'.");
        }

        var executable = JsonFile.GetString(description, "defaultExecutablePath");
        if (string.IsNullOrWhiteSpace(executable))
        {
            throw new InvalidOperationException($"{path} has no 'description.defaultExecutablePath'.");
        }

        var workerPath = JsonFile.GetString(description, "defaultWorkerPath");
        return new WorkerConfig(
            executable,
            string.IsNullOrWhiteSpace(workerPath) ? null : Path.GetFullPath(workerPath, appDirectory),
            ReadStrings(description, "arguments"),
            ReadStrings(description, "workerArguments"));
    }

    private static string[] ReadStrings(JsonElement description, string name) =>
        JsonFile.TryGetProperty(description, name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];
}
