using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Aftercare.Storage.Tables;

/// <summary>Stamps x-ms-date on every attempt (retries included) from the client's clock.</summary>
internal sealed class TableDateHeaderPolicy(TimeProvider time) : HttpPipelineSynchronousPolicy
{
    public const string HeaderName = "x-ms-date";

    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue(HeaderName, time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
}
