using Aftercare.Sms.Twilio;

namespace Aftercare.Functions.Http;

/// <summary>
/// Checks that a webhook comes from our Twilio account: X-Twilio-Signature over the public URL Twilio called (the app's
/// public base address plus the path and query it received) and the form, and the form's AccountSid. Disabled when the
/// app has no public address or no Twilio auth token.
/// </summary>
internal sealed class TwilioWebhookVerifier
{
    private readonly Uri? _publicBaseUrl;
    private readonly TwilioRequestValidator? _validator;
    private readonly string? _accountSid;

    public TwilioWebhookVerifier(Uri? publicBaseUrl, TwilioOptions? twilio)
    {
        if (publicBaseUrl is not null && twilio is { AuthToken: { Length: > 0 } token })
        {
            _publicBaseUrl = publicBaseUrl;
            _validator = new TwilioRequestValidator(token);
            _accountSid = twilio.AccountSid;
        }
    }

    public bool IsEnabled => _validator is not null;

    public bool IsGenuine(HttpContext http, IFormCollection form) =>
        _validator is not null
        && form["AccountSid"] == _accountSid
        && _validator.IsValid(
            new Uri(_publicBaseUrl!, RequestTarget.Of(http)).ToString(),
            form.SelectMany(field => field.Value.Select(value => KeyValuePair.Create(field.Key, value ?? string.Empty))),
            http.Request.Headers[TwilioRequestValidator.SignatureHeader].ToString());
}
