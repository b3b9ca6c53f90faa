using Aftercare.Sms.Twilio;
using Microsoft.AspNetCore.Http;

namespace Aftercare.Functions.Http;

/// <summary>
/// Checks that a webhook comes from our Twilio account: X-Twilio-Signature over the public URL Twilio called and the
/// form, and the form's AccountSid. The URL is the configured public base address followed by the path and query
/// exactly as received (a string: re-parsing it through <see cref="Uri"/> would unescape what Twilio signed escaped).
/// Disabled when the app has no public address or no Twilio auth token.
/// </summary>
internal sealed class TwilioWebhookVerifier
{
    private readonly string? _publicBase;
    private readonly TwilioRequestValidator? _validator;
    private readonly string? _accountSid;

    public TwilioWebhookVerifier(Uri? publicBaseUrl, TwilioOptions? twilio)
    {
        if (publicBaseUrl is not null && twilio is { AuthToken: { Length: > 0 } token })
        {
            _publicBase = publicBaseUrl.AbsoluteUri.TrimEnd('/');
            _validator = new TwilioRequestValidator(token);
            _accountSid = twilio.AccountSid;
        }
    }

    public bool IsEnabled => _validator is not null;

    /// <summary>
    /// Reads the form of a Twilio webhook and checks it is genuine; the problem to answer otherwise (403 when webhooks are
    /// not configured here, 415 for another content type, 400 for an unreadable form, 401 for a bad signature).
    /// </summary>
    public async Task<(IFormCollection? Form, IResult? Problem)> ReadGenuineFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_validator is null)
        {
            return (null, Problems.Forbidden("Twilio webhooks need Aftercare__PublicBaseUrl and a Twilio auth token to be configured."));
        }

        if (!request.HasFormContentType)
        {
            return (null, Problems.UnsupportedMediaType("Twilio posts application/x-www-form-urlencoded."));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return (null, Problems.MalformedBody(ex.Message));
        }

        var genuine = form["AccountSid"] == _accountSid
            && _validator.IsValid(
                SignedUrl(request.HttpContext),
                form.SelectMany(field => field.Value.Select(value => KeyValuePair.Create(field.Key, value ?? string.Empty))),
                request.Headers[TwilioRequestValidator.SignatureHeader].ToString());
        return genuine ? (form, null) : (null, Problems.Unauthorized("The X-Twilio-Signature does not match this request."));
    }

    private string SignedUrl(HttpContext http) => _publicBase + RequestTarget.Of(http);
}
