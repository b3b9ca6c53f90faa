using Aftercare.Storage;

namespace Aftercare.Functions.Hosting;

/// <summary>The "Aftercare" configuration section (app settings <c>Aftercare__…</c>).</summary>
public sealed class AftercareOptions
{
    public const string Section = "Aftercare";

    /// <summary>Where the tables live (<c>Aftercare__Storage__…</c>).</summary>
    public TableStorageOptions Storage { get; set; } = new();

    public DispatchSettings Dispatch { get; set; } = new();

    /// <summary>How clinics are read on signed requests (<c>Aftercare__Clinics__…</c>).</summary>
    public ClinicSettings Clinics { get; set; } = new();

    /// <summary>Clinic alert delivery (<c>Aftercare__Alerts__…</c>).</summary>
    public AlertSettings Alerts { get; set; } = new();

    /// <summary>Keys for personal data at rest and how long it is kept (<c>Aftercare__Privacy__…</c>).</summary>
    public PrivacySettings Privacy { get; set; } = new();

    /// <summary>How client replies to the clinics' senders are answered (<c>Aftercare__Inbound__…</c>).</summary>
    public InboundSettings Inbound { get; set; } = new();

    /// <summary>
    /// The public https base address of the app (the Function App's URL), used for Twilio status callbacks and for
    /// checking Twilio's signatures on them. Unset: no status callbacks are requested.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}

/// <summary>How <c>POST /api/twilio/inbound</c> answers; see <see cref="Core.Conversation.InboundOptions"/>.</summary>
public sealed class InboundSettings
{
    /// <summary>
    /// True when Twilio answers HELP on the clinics' senders itself (default keyword handling on US and Canadian long
    /// codes and toll-free numbers, or Advanced Opt-Out with a HELP message); false (default): the app answers HELP.
    /// </summary>
    public bool TwilioAnswersHelp { get; set; }
}

/// <summary>How clinics are read on signed clinic requests (<see cref="Clinics.CachedClinicStore"/>).</summary>
public sealed class ClinicSettings
{
    /// <summary>
    /// Seconds a clinic read on a signed request is cached in each instance (0 to 300; 0 reads it every time). It bounds how
    /// long another instance still accepts a rotated-away secret, refuses the new one, or schedules with an old quiet-hours
    /// window after a change.
    /// </summary>
    public int CacheSeconds { get; set; } = 30;
}

/// <summary>
/// How the dispatcher works through what is due. Its schedule is not here: the timer trigger reads the app setting
/// <c>Aftercare__Dispatch__Schedule</c> through the host (see <see cref="Functions.DispatchFunction"/>).
/// </summary>
public sealed class DispatchSettings
{
    /// <summary>Shards of the due index, 1 to 999 (see <see cref="Core.Delivery.DispatchOptions.Shards"/>); raise it, never lower it.</summary>
    public int Shards { get; set; } = Core.Delivery.DispatchShards.DefaultCount;

    /// <summary>Seconds one shard work item keeps draining; with the send deadline it must fit host.json's functionTimeout (300).</summary>
    public int DrainSeconds { get; set; } = 180;

    /// <summary>Seconds a shard lease lasts unless renewed: how long a shard whose drainer died waits for another.</summary>
    public int ShardLeaseSeconds { get; set; } = 30;

    /// <summary>Due messages one sweep takes on.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Sends in flight at Twilio from one instance, across its drains (see <see cref="Core.Delivery.DispatchOptions.MaxParallelism"/>).</summary>
    public int MaxParallelism { get; set; } = 8;

    /// <summary>Seconds a claim holds a message; a send (retries included) must finish within half of it.</summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Seconds to wait before asking Twilio whether an in-doubt send exists.</summary>
    public int InDoubtRecheckSeconds { get; set; } = 60;

    /// <summary>Shortest wait, in seconds, before a deferred (rate-limited) message is tried again.</summary>
    public int MinimumRetryDelaySeconds { get; set; } = 60;

    /// <summary>Seconds a due-index entry may point at a treatment still being written.</summary>
    public int OrphanGraceSeconds { get; set; } = 600;
}

/// <summary>
/// How clinic alerts are delivered. The timer's schedule is not here: the trigger reads the app setting
/// <c>Aftercare__Alerts__Schedule</c> through the host (see <see cref="Functions.AlertDeliveryFunction"/>).
/// </summary>
public sealed class AlertSettings
{
    /// <summary>
    /// Local runs and tests only: let alerts go to http URLs and to loopback, private and link-local addresses, which
    /// the SSRF guard refuses otherwise. Never set it in Azure.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Due alerts one sweep takes on.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Posts in flight per sweep.</summary>
    public int MaxParallelism { get; set; } = 4;

    /// <summary>Seconds a claim holds an alert before another sweep may take it over.</summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Hours after its creation that an alert is still retried (at least 24, issue 14); then it is failed.</summary>
    public int RetryHours { get; set; } = 24;
}
