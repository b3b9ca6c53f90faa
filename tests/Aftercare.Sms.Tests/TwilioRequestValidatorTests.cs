using System.Collections.Specialized;
using Aftercare.Sms.Tests.Support;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using Twilio.Security;
using Xunit;

namespace Aftercare.Sms.Tests;

/// <summary>
/// The webhook signature check: Twilio's published example, and each gap of the SDK's <see cref="RequestValidator"/>
/// shown failing on the bare SDK call and passing through the wrapper. Expected signatures come from
/// <see cref="TwilioSignature"/> (written from Twilio's document) or from Twilio's Node.js helper, never from the code under test.
/// </summary>
public sealed class TwilioRequestValidatorTests
{
    private const string Token = "12345";

    // Twilio's published example: auth token 12345 signs this URL and form as 0/KCTR6DLpKmkAf8muzZqo1nDgQ=.
    private const string ExampleUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string ExampleSignature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    private static readonly KeyValuePair<string, string>[] ExampleForm =
    [
        new("Digits", "1234"),
        new("To", "+18005551212"),
        new("From", "+12349013030"),
        new("Caller", "+12349013030"),
        new("CallSid", "CA1234567890ABCDE"),
    ];

    private readonly TwilioRequestValidator _validator = new(Token);
    private readonly RequestValidator _sdk = new(Token);

    [Fact]
    public void The_independent_signer_reproduces_twilios_documented_example() =>
        Assert.Equal(ExampleSignature, TwilioSignature.Compute(Token, ExampleUrl, ExampleForm));

    [Fact]
    public void Accepts_twilios_documented_example() =>
        Assert.True(_validator.IsValid(ExampleUrl, ExampleForm, ExampleSignature));

    [Fact]
    public void Rejects_a_changed_value() =>
        Assert.False(_validator.IsValid(ExampleUrl, ExampleForm.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "1235") : p), ExampleSignature));

    [Fact]
    public void Rejects_an_added_parameter() =>
        Assert.False(_validator.IsValid(ExampleUrl, [.. ExampleForm, new("Body", "STOP")], ExampleSignature));

    [Fact]
    public void Rejects_a_removed_parameter() =>
        Assert.False(_validator.IsValid(ExampleUrl, ExampleForm.Where(p => p.Key != "To"), ExampleSignature));

    [Fact]
    public void Rejects_another_url() =>
        Assert.False(_validator.IsValid("https://mycompany.com/myapp.php?foo=1&bar=3", ExampleForm, ExampleSignature));

    [Fact]
    public void Rejects_another_token() =>
        Assert.False(new TwilioRequestValidator("54321").IsValid(ExampleUrl, ExampleForm, ExampleSignature));

    [Theory]
    [InlineData("0/KCTR6DLpKmkAf8muzZqo1nDgQ")]
    [InlineData("1/KCTR6DLpKmkAf8muzZqo1nDgQ=")]
    public void Rejects_a_wrong_signature(string signature) =>
        Assert.False(_validator.IsValid(ExampleUrl, ExampleForm, signature));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_signature_makes_the_sdk_throw_and_is_simply_invalid_here(string? signature)
    {
        Assert.Throws<ArgumentException>(() => _sdk.Validate(ExampleUrl, ToDictionary(ExampleForm), signature!));

        Assert.False(_validator.IsValid(ExampleUrl, ExampleForm, signature));
    }

    [Fact]
    public void A_default_port_twilio_signed_without_fails_in_the_sdk_and_passes_here()
    {
        const string Handed = "https://mycompany.com:443/myapp.php?foo=1&bar=2";

        Assert.False(_sdk.Validate(Handed, ToDictionary(ExampleForm), ExampleSignature));

        Assert.True(_validator.IsValid(Handed, ExampleForm, ExampleSignature));
    }

    [Fact]
    public void A_default_port_twilio_signed_with_passes_here_too()
    {
        var signed = TwilioSignature.Compute(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", ExampleForm);

        Assert.True(_validator.IsValid(ExampleUrl, ExampleForm, signed));
        Assert.True(_validator.IsValid("http://mycompany.com/a", ExampleForm, TwilioSignature.Compute(Token, "http://mycompany.com:80/a", ExampleForm)));
    }

    [Theory]
    [InlineData("https://mycompany.com/status?note=%7Efine", "https://mycompany.com:443/status?note=%7Efine")]
    [InlineData("https://mycompany.com:443/status?note=%7Efine", "https://mycompany.com/status?note=%7Efine")]
    public void An_escaped_tilde_with_the_other_port_form_fails_in_the_sdk_and_passes_here(string signedAs, string handed)
    {
        // The SDK builds the other port form through Uri, which turns %7E into ~, a URL Twilio never signed.
        var signature = TwilioSignature.Compute(Token, signedAs, ExampleForm);

        Assert.False(_sdk.Validate(handed, ToDictionary(ExampleForm), signature));

        Assert.True(_validator.IsValid(handed, ExampleForm, signature));
    }

    [Fact]
    public void The_tilde_is_not_interchangeable_with_its_escape()
    {
        var signature = TwilioSignature.Compute(Token, "https://mycompany.com/status?note=%7Efine", ExampleForm);

        Assert.False(_validator.IsValid("https://mycompany.com/status?note=~fine", ExampleForm, signature));
    }

    [Fact]
    public async Task Repeated_keys_fail_through_the_sdks_name_value_overload_and_pass_here()
    {
        KeyValuePair<string, string>[] form =
        [
            new("MessagingBinding.Address", "+18330000000"),
            new("MessagingBinding.Address", "+18550000000"),
            new("AccountSid", "ACxxx"),
            new("MessageBody", "hi"),
        ];
        const string Url = "https://aftercare.example/api/twilio/inbound";
        var signature = TwilioSignature.Compute(Token, Url, form);
        Assert.Equal(await NodeTwilio.ExpectedSignatureAsync(Token, Url, form), signature);
        var collection = new NameValueCollection();
        foreach (var (key, value) in form)
        {
            collection.Add(key, value);
        }

        Assert.False(_sdk.Validate(Url, collection, signature));

        Assert.True(_validator.IsValid(Url, form, signature));
        Assert.True(_validator.IsValid(Url, form.Reverse(), signature));
        Assert.False(_validator.IsValid(Url, form.Where(p => p.Value != "+18330000000"), signature));
    }

    [Fact]
    public async Task Agrees_with_twilios_node_helper_on_an_inbound_text()
    {
        KeyValuePair<string, string>[] form =
        [
            new("AccountSid", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            new("Body", "¿Es normal? Ça brûle un peu 🙂 & 100%"),
            new("From", "+34612345678"),
            new("To", "+15005550006"),
            new("MessageSid", "SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
            new("NumMedia", "0"),
        ];
        const string Url = "https://aftercare.example/api/twilio/inbound?clinic=c%2F1&x=%7E";

        var signature = await NodeTwilio.ExpectedSignatureAsync(Token, Url, form);

        Assert.True(_validator.IsValid(Url, form, signature));
        Assert.False(_validator.IsValid(Url.Replace("%2F", "/", StringComparison.Ordinal), form, signature));
    }

    [Fact]
    public void A_url_uri_cannot_parse_makes_the_sdk_throw_and_is_invalid_here()
    {
        // A malformed port: whatever the URL is built from, a bad one must be an invalid request, never a 500.
        const string Url = "https://aftercare.example:443x/api/twilio/inbound";

        Assert.Throws<UriFormatException>(() => _sdk.Validate(Url, ToDictionary(ExampleForm), ExampleSignature));

        Assert.False(_validator.IsValid(Url, ExampleForm, ExampleSignature));
    }

    [Fact]
    public void A_port_that_is_not_the_default_is_kept()
    {
        var signature = TwilioSignature.Compute(Token, "https://mycompany.com:8443/a", ExampleForm);

        Assert.True(_validator.IsValid("https://mycompany.com:8443/a", ExampleForm, signature));
        Assert.False(_validator.IsValid("https://mycompany.com/a", ExampleForm, signature));
    }

    private static Dictionary<string, string> ToDictionary(IEnumerable<KeyValuePair<string, string>> form) =>
        form.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
