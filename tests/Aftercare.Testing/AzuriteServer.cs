namespace Aftercare.Testing;

/// <summary>
/// Azurite's Table service on a free loopback port. On disk (the default for <see cref="StartOnDiskAsync"/>) it can be
/// stopped and started again on the same port and folder with its data intact, for chaos tests; in memory it is faster.
/// Disposal stops it and deletes its folder.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";

    /// <summary>The emulator's documented, public account key.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly bool _inMemory;
    private ChildProcess? _process;

    private AzuriteServer(bool inMemory)
    {
        _inMemory = inMemory;
        Port = FreePort.Next();
        Location = Directory.CreateTempSubdirectory("azurite-").FullName;
    }

    public int Port { get; }

    /// <summary>Azurite's workspace folder (its database files when on disk).</summary>
    public string Location { get; }

    public bool IsRunning => _process is { HasExited: false };

    public Uri TableEndpoint => new($"http://127.0.0.1:{Port}/{AccountName}");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint={TableEndpoint};";

    public static Task<AzuriteServer> StartInMemoryAsync() => StartNewAsync(inMemory: true);

    public static Task<AzuriteServer> StartOnDiskAsync() => StartNewAsync(inMemory: false);

    /// <summary>Starts (or restarts, after <see cref="StopAsync"/>) on the same port and folder.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        List<string> arguments =
        [
            "--tableHost", "127.0.0.1",
            "--tablePort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--skipApiVersionCheck",
            "--disableTelemetry",
            "--silent",
        ];

        // Azurite refuses --location with --inMemoryPersistence; in memory it still runs in the folder, keeping strays out of the repo.
        arguments.AddRange(_inMemory ? ["--inMemoryPersistence"] : ["--location", Location]);

        var process = ChildProcess.Start(RepositoryPaths.NodeBin("azurite-table"), arguments, workingDirectory: Location);
        try
        {
            await process.WaitForPortAsync(Port, StartTimeout);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        _process = process;
    }

    /// <summary>
    /// Stops it the way Ctrl+C does, so it saves its database (it writes to disk every few seconds otherwise), and
    /// keeps the folder for the next <see cref="StartAsync"/>.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited && !OperatingSystem.IsWindows())
            {
                await InterruptAsync(process.Id);
                await process.WaitForOutputAsync("successfully closed", StopTimeout);
            }
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It died or would not close cleanly: disposal below kills it regardless.
        }
        finally
        {
            await process.DisposeAsync();
        }
    }

    /// <summary>Kills it at once, as a crash would: writes from the last few seconds may be lost.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Location, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process: the temp folder is cleaned up by the OS.
        }
    }

    private static async Task InterruptAsync(int processId)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-INT", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private static async Task<AzuriteServer> StartNewAsync(bool inMemory)
    {
        var server = new AzuriteServer(inMemory);
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
