namespace Aftercare.Functions.Hosting;

/// <summary>The "Aftercare" configuration section (environment variables Aftercare__…).</summary>
public sealed class AftercareOptions
{
    public const string Section = "Aftercare";

    public StorageSettings Storage { get; set; } = new();

    public DispatchSettings Dispatch { get; set; } = new();

    /// <summary>
    /// The public https base address of the app (the Function App's URL), used for Twilio status callbacks and for
    /// checking Twilio's signatures on them. Unset: no status callbacks are requested.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}

public sealed class StorageSettings
{
    /// <summary>A storage connection string (Shared Key), or UseDevelopmentStorage=true for Azurite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Table service endpoint for managed identity, e.g. https://account.table.core.windows.net.</summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>The client id of a user-assigned managed identity; unset uses the default Azure credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prefix of every table name, so several environments can share one account.</summary>
    public string TablePrefix { get; set; } = "aftercare";
}

public sealed class DispatchSettings
{
    /// <summary>
    /// Run the dispatcher on an in-process timer. Defaults to on when the process is not under the Functions host
    /// (which calls the timer function itself).
    /// </summary>
    public bool? RunInProcess { get; set; }

    public int IntervalSeconds { get; set; } = 60;

    public int BatchSize { get; set; } = 500;

    public int MaxParallelism { get; set; } = 8;

    public int LeaseSeconds { get; set; } = 120;

    public int InDoubtRecheckSeconds { get; set; } = 60;

    public int MinimumRetryDelaySeconds { get; set; } = 60;

    public int OrphanGraceSeconds { get; set; } = 600;
}
