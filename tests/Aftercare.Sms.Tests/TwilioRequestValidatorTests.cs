using Aftercare.Sms.Twilio;
using Xunit;

namespace Aftercare.Sms.Tests;

/// <summary>Twilio's published example: auth token 12345 signs this URL and form as 0/KCTR6DLpKmkAf8muzZqo1nDgQ=.</summary>
public sealed class TwilioRequestValidatorTests
{
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string Expected = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    private static readonly KeyValuePair<string, string>[] Form =
    [
        new("Digits", "1234"),
        new("To", "+18005551212"),
        new("From", "+12349013030"),
        new("Caller", "+12349013030"),
        new("CallSid", "CA1234567890ABCDE"),
    ];

    private readonly TwilioRequestValidator _validator = new("12345");

    [Fact]
    public void Computes_twilios_documented_signature() =>
        Assert.Equal(Expected, _validator.ComputeSignature(Url, Form));

    [Fact]
    public void Accepts_twilios_documented_example() =>
        Assert.True(_validator.IsValid(Url, Form, Expected));

    [Fact]
    public void Accepts_the_url_with_or_without_the_default_port()
    {
        Assert.True(_validator.IsValid("https://mycompany.com:443/myapp.php?foo=1&bar=2", Form, Expected));
        var signedWithPort = _validator.ComputeSignature("https://mycompany.com:443/myapp.php?foo=1&bar=2", Form);
        Assert.True(_validator.IsValid(Url, Form, signedWithPort));
    }

    [Fact]
    public void Rejects_a_changed_value() =>
        Assert.False(_validator.IsValid(Url, Form.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "1235") : p), Expected));

    [Fact]
    public void Rejects_an_added_parameter() =>
        Assert.False(_validator.IsValid(Url, [.. Form, new("Body", "STOP")], Expected));

    [Fact]
    public void Rejects_a_removed_parameter() =>
        Assert.False(_validator.IsValid(Url, Form.Where(p => p.Key != "To"), Expected));

    [Fact]
    public void Rejects_another_url() =>
        Assert.False(_validator.IsValid("https://mycompany.com/myapp.php?foo=1&bar=3", Form, Expected));

    [Fact]
    public void Rejects_another_auth_token() =>
        Assert.False(new TwilioRequestValidator("54321").IsValid(Url, Form, Expected));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0/KCTR6DLpKmkAf8muzZqo1nDgQ")]
    [InlineData("1/KCTR6DLpKmkAf8muzZqo1nDgQ=")]
    public void Rejects_a_missing_or_wrong_signature(string? signature) =>
        Assert.False(_validator.IsValid(Url, Form, signature));
}
