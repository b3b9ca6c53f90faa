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
    public Task<(IFormCollection? Form, IResult? Problem)> ReadGenuineFormAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReadGenuineFormAsync(request, forbidBadSignature: false, cancellationToken);

    /// <summary>
    /// As the overload without <paramref name="forbidBadSignature"/>; when it is true, a missing or bad signature (or a
    /// foreign AccountSid) answers 403, as the validation examples in Twilio's "Webhooks security" document do.
    /// </summary>
    public async Task<(IFormCollection? Form, IResult? Problem)> ReadGenuineFormAsync(HttpRequest request, bool forbidBadSignature, CancellationToken cancellationToken)
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

        var fields = form.SelectMany(field => field.Value.Select(value => KeyValuePair.Create(field.Key, value ?? string.Empty))).ToList();
        var signature = request.Headers[TwilioRequestValidator.SignatureHeader].ToString();
        var genuine = form["AccountSid"] == _accountSid
            && SignedUrls(request.HttpContext).Any(url => _validator.IsValid(url, fields, signature));
        const string BadSignature = "The X-Twilio-Signature does not match this request.";
        return genuine ? (form, null) : (null, forbidBadSignature ? Problems.SignatureForbidden(BadSignature) : Problems.Unauthorized(BadSignature));
    }

    /// <summary>
    /// The URLs Twilio may have signed: the public base and the target as received and, when the target holds a '~',
    /// with it escaped again. The Functions host forwards a request to the worker through YARP, whose <see cref="Uri"/>
    /// un-escapes "%7E" on the way (measured through the local host, which forwards as the Azure host does), so the
    /// worker cannot tell which one Twilio sent; a target mixing both spellings is not matched.
    /// </summary>
    private IEnumerable<string> SignedUrls(HttpContext http)
    {
        var target = RequestTarget.Of(http);
        yield return _publicBase + target;
        if (target.Contains('~', StringComparison.Ordinal))
        {
            yield return _publicBase + target.Replace("~", "%7E", StringComparison.Ordinal);
        }
    }
}
