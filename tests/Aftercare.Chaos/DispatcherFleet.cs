using Aftercare.Testing;

namespace Aftercare.Chaos;

/// <summary>
/// Real handler processes (<c>dotnet Aftercare.Functions.dll</c>), each running the in-process dispatcher. A child that
/// exits on its own (say, it started while storage was down) is started again; <see cref="KillOneAsync"/> SIGKILLs one that
/// is dispatching and starts a fresh one in its place. Used from one loop only.
/// </summary>
internal sealed class DispatcherFleet(string handlerDll, IReadOnlyDictionary<string, string?> environment, int size) : IAsyncDisposable
{
    // The scheduler's start-up line: from here on the process sweeps the due index.
    private const string DispatchingMarker = "In-process dispatch every";

    private readonly ChildProcess?[] _slots = new ChildProcess?[size];

    public int Size => _slots.Length;

    public int Kills { get; private set; }

    /// <summary>Children that exited without being killed and were started again.</summary>
    public int Restarts { get; private set; }

    /// <summary>The last output of a child that exited on its own, for the report when something goes wrong.</summary>
    public string? LastExitOutput { get; private set; }

    public void StartAll()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = StartChild();
        }
    }

    /// <summary>Starts again every child that has exited.</summary>
    public async Task SuperviseAsync()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] is { HasExited: true } exited)
            {
                LastExitOutput = Tail(exited.Output);
                await exited.DisposeAsync();
                _slots[i] = StartChild();
                Restarts++;
            }
        }
    }

    /// <summary>SIGKILLs one random child that is dispatching, and starts another. False when none is dispatching yet.</summary>
    public async Task<bool> KillOneAsync(Random random)
    {
        var dispatching = Enumerable.Range(0, _slots.Length)
            .Where(i => _slots[i] is { HasExited: false } child && child.Output.Contains(DispatchingMarker, StringComparison.Ordinal))
            .ToList();
        if (dispatching.Count == 0)
        {
            return false;
        }

        var slot = dispatching[random.Next(dispatching.Count)];
        var victim = _slots[slot]!;
        victim.Kill(); // Process.Kill: SIGKILL on Linux, no shutdown code runs.
        await victim.DisposeAsync();
        Kills++;
        _slots[slot] = StartChild();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] is { } child)
            {
                _slots[i] = null;
                await child.DisposeAsync();
            }
        }
    }

    private ChildProcess StartChild() =>
        ChildProcess.Start("dotnet", [handlerDll], environment.ToDictionary(), workingDirectory: Path.GetDirectoryName(handlerDll));

    private static string Tail(string output, int lines = 15) =>
        string.Join(Environment.NewLine, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
}
