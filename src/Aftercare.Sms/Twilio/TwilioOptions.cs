using System.Text.RegularExpressions;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// How to reach Twilio's Programmable Messaging API. Authenticate with the account's auth token, or (preferred in
/// production) with an API key: the key SID is then the Basic-auth user. The auth token is still what inbound
/// webhook signatures are checked with (<see cref="TwilioRequestValidator"/>).
/// </summary>
public sealed partial class TwilioOptions
{
    public string AccountSid { get; set; } = string.Empty;

    public string? AuthToken { get; set; }

    public string? ApiKeySid { get; set; }

    public string? ApiKeySecret { get; set; }

    public Uri BaseUri { get; set; } = new("https://api.twilio.com");

    /// <summary>How long one HTTP attempt may take, response body included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TwilioResilienceOptions Resilience { get; set; } = new();

    internal bool UsesApiKey => !string.IsNullOrEmpty(ApiKeySid);

    internal string BasicAuthUser => UsesApiKey ? ApiKeySid! : AccountSid;

    internal string BasicAuthPassword => UsesApiKey ? ApiKeySecret! : AuthToken!;

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, so a bad configuration fails at start-up.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!AccountSidPattern().IsMatch(AccountSid ?? string.Empty))
        {
            problems.Add("AccountSid must be 'AC' followed by 32 hex digits.");
        }

        if (UsesApiKey)
        {
            if (!ApiKeySidPattern().IsMatch(ApiKeySid!))
            {
                problems.Add("ApiKeySid must be 'SK' followed by 32 hex digits.");
            }

            if (string.IsNullOrEmpty(ApiKeySecret))
            {
                problems.Add("ApiKeySecret is required with ApiKeySid.");
            }
        }
        else if (string.IsNullOrEmpty(AuthToken))
        {
            problems.Add("Set AuthToken, or ApiKeySid and ApiKeySecret.");
        }
        else if (!string.IsNullOrEmpty(ApiKeySecret))
        {
            problems.Add("ApiKeySecret is set without ApiKeySid.");
        }

        if (BaseUri is null || !BaseUri.IsAbsoluteUri || BaseUri.Scheme is not ("https" or "http"))
        {
            problems.Add("BaseUri must be an absolute http(s) URI.");
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromDays(1))
        {
            problems.Add("RequestTimeout must be positive and at most a day.");
        }

        problems.AddRange(Resilience?.Problems() ?? ["Resilience is required."]);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid Twilio options: " + string.Join(" ", problems));
        }
    }

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSidPattern();

    [GeneratedRegex("^SK[0-9a-fA-F]{32}$")]
    private static partial Regex ApiKeySidPattern();
}
