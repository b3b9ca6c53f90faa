using Azure.Core;

namespace Aftercare.Storage.Tables;

/// <summary>Pipeline options (retry, diagnostics, transport come from <see cref="ClientOptions"/>) for the table clients.</summary>
public sealed class TableClientOptions : ClientOptions
{
    public const string ServiceVersion = "2019-02-02";

    /// <summary>The clock x-ms-date is read from; tests pin it to make signatures reproducible.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
