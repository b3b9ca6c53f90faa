namespace Aftercare.Core.Alerts;

/// <summary>Sends one alert to a clinic's endpoint (an HTTPS POST in production, see the Functions adapter).</summary>
public interface IAlertSender
{
    /// <summary>
    /// Posts <paramref name="alert"/> to <paramref name="endpoint"/>, signed with <paramref name="webhookSecret"/>. Never
    /// throws for what the endpoint or the network does: every outcome is an <see cref="AlertSendResult"/>.
    /// </summary>
    Task<AlertSendResult> SendAsync(Uri endpoint, ClinicAlert alert, string webhookSecret, CancellationToken cancellationToken);
}

/// <summary>
/// One attempt's outcome: delivered (a 2xx), or not, with a short reason (an HTTP status, a transport fault, a refused
/// address) free of personal data and of the URL.
/// </summary>
public sealed record AlertSendResult(bool Delivered, string Detail)
{
    public static AlertSendResult Success(int statusCode) => new(true, $"HTTP {statusCode}");

    public static AlertSendResult Failure(string detail) => new(false, detail);
}
