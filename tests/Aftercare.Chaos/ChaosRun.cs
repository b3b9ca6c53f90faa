using Aftercare.Storage;
using Aftercare.Testing;
using Azure.Data.Tables;

namespace Aftercare.Chaos;

/// <summary>
/// The delivery chaos run: Azurite on disk and a faulty Twilio stand-in, real dispatcher processes SIGKILLed every
/// few seconds, storage stopped and started once mid-run; then every message is held against what Twilio created.
/// </summary>
internal sealed class ChaosRun(ChaosOptions options, TextWriter output, TimeProvider time)
{
    private const double AzuriteStopAt = 0.3;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan AzuriteDowntime = TimeSpan.FromSeconds(3);

    private int _azuriteRestarts;
    private double? _settledAtAzuriteStop;

    public async Task<ChaosReport> RunAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await using var azurite = await AzuriteServer.StartOnDiskAsync();
        await using var queues = await AzuriteQueues.StartAsync();
        await using var standIn = await TwilioStandIn.StartAsync(
            new TwilioStandInOptions { RandomFaultRate = options.FaultRate, RandomSeed = options.Seed, RandomFaults = FaultMix.Weighted },
            cancellationToken);
        var tables = new AftercareTables(new TableServiceClient(azurite.ConnectionString), DispatcherEnvironment.TablePrefix(options.Seed));

        var data = await new ChaosSeeder(tables, TestKeys.SecretCipher, time).SeedAsync(options, cancellationToken);
        Log($"seeded {data.Messages.Count} messages over {data.TreatmentIds.Count} treatments in {time.GetElapsedTime(started).TotalSeconds:0.0} s");

        var environment = DispatcherEnvironment.Create(
            azurite.ConnectionString, queues.ConnectionString, tables.Prefix, standIn.BaseUri, DispatcherEnvironment.AccountSid(options.Seed));
        await using var fleet = new DispatcherFleet(RepositoryPaths.FunctionsAppDirectory, environment, options.Dispatchers);
        var probe = new ProgressProbe(tables, TimeSpan.FromSeconds(1));
        using var stopProbe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probing = probe.RunAsync(stopProbe.Token);

        var dispatchStarted = time.GetTimestamp();
        await fleet.StartAllAsync(cancellationToken);
        var timedOut = !await RunChaosAsync(fleet, probe, azurite, data.Messages.Count, cancellationToken);
        var dispatchTime = time.GetElapsedTime(dispatchStarted);

        await stopProbe.CancelAsync();
        await probing;
        var (failedScans, lastScanError) = probe.FailedScans;
        Log($"progress scans that failed (storage down): {failedScans}{(lastScanError is null ? string.Empty : ", last: " + lastScanError)}");
        var kills = fleet.Kills;
        var restarts = fleet.Restarts;
        var lastExit = fleet.LastExitOutput;
        await fleet.DisposeAsync();

        await azurite.StartAsync(); // Already running unless its restart failed; the verdict needs it either way.
        var verdict = await ChaosVerifier.VerifyAsync(data, new TableTreatmentStore(tables), standIn.Created, cancellationToken);
        if (verdict.Lost > 0 && lastExit is not null)
        {
            Log("last output of a dispatcher that exited on its own:" + Environment.NewLine + lastExit);
        }

        foreach (var example in verdict.Examples)
        {
            Log("problem: " + example);
        }

        return new ChaosReport
        {
            Options = options,
            Kills = kills,
            DispatcherRestarts = restarts,
            AzuriteRestarts = _azuriteRestarts,
            SettledAtAzuriteStop = _settledAtAzuriteStop,
            CreateRequests = standIn.CreateRequests,
            Verdict = verdict,
            TimedOut = timedOut,
            DispatchTime = dispatchTime,
            WallTime = time.GetElapsedTime(started),
        };
    }

    /// <summary>Kills, supervises and restarts storage until every message is settled and the kills are done; false on the time limit.</summary>
    private async Task<bool> RunChaosAsync(DispatcherFleet fleet, ProgressProbe probe, AzuriteServer azurite, int messages, CancellationToken cancellationToken)
    {
        var random = new Random(options.Seed);
        var started = time.GetTimestamp();
        var nextKill = NextKillDelay(random);
        Task? storageRestart = null;
        var lastReported = -1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await fleet.SuperviseAsync();
            var settled = probe.Settled;
            var elapsed = time.GetElapsedTime(started);
            if (settled * 10 / messages != lastReported)
            {
                lastReported = settled * 10 / messages;
                Log($"{elapsed.TotalSeconds,6:0.0} s: {settled}/{messages} settled, {fleet.Kills} kills, {fleet.Restarts} restarts after exit");
            }

            if (storageRestart is null && settled >= messages * AzuriteStopAt)
            {
                _settledAtAzuriteStop = (double)settled / messages;
                storageRestart = RestartStorageAsync(azurite);
            }

            if (settled == messages && fleet.Kills >= options.Kills && storageRestart is { IsCompleted: true })
            {
                await storageRestart; // Surfaces a failed restart.
                Log($"{elapsed.TotalSeconds,6:0.0} s: all settled");
                return true;
            }

            if (elapsed > options.TimeLimit)
            {
                Log($"{elapsed.TotalSeconds,6:0.0} s: time limit reached with {settled}/{messages} settled");
                if (storageRestart is not null)
                {
                    await storageRestart;
                }

                return false;
            }

            if (elapsed >= nextKill && await fleet.KillOneAsync(random))
            {
                nextKill = elapsed + NextKillDelay(random);
            }

            await Task.Delay(Tick, time, cancellationToken);
        }
    }

    /// <summary>A graceful stop (the emulator saves its database), a few seconds down, and a start on the same port and folder.</summary>
    private async Task RestartStorageAsync(AzuriteServer azurite)
    {
        Log("stopping Azurite");
        await azurite.StopAsync();
        await Task.Delay(AzuriteDowntime, time);
        await azurite.StartAsync();
        _azuriteRestarts++;
        Log("Azurite started again");
    }

    private static TimeSpan NextKillDelay(Random random) => TimeSpan.FromMilliseconds(random.Next(1000, 3001));

    private void Log(string line) => output.WriteLine("[chaos] " + line);
}
