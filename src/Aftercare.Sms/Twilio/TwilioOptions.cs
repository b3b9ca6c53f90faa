using System.Text.RegularExpressions;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// How to reach Twilio's Programmable Messaging API, bound from <c>Aftercare__Twilio__*</c> app settings. Authenticate
/// with the account's auth token, or (preferred in production) with an API key: the key SID and secret are then the
/// Basic-auth credentials and <see cref="AccountSid"/> still names the account in every URL (Twilio's "API keys"
/// document). The auth token is also what inbound webhook signatures are checked with (<see cref="TwilioRequestValidator"/>).
/// </summary>
public sealed partial class TwilioOptions
{
    /// <summary>The account, "AC" and 32 hex digits.</summary>
    public string AccountSid { get; set; } = string.Empty;

    public string? AuthToken { get; set; }

    /// <summary>An API key, "SK" and 32 hex digits; with <see cref="ApiKeySecret"/> it replaces the auth token for REST calls.</summary>
    public string? ApiKeySid { get; set; }

    public string? ApiKeySecret { get; set; }

    /// <summary>
    /// Where requests really go. The SDK addresses https://api.twilio.com; <see cref="TwilioResilienceHandler"/> moves each
    /// request to this base (path and query kept) so tests reach Prism or the stand-in. https, or http on a loopback
    /// address only.
    /// </summary>
    public Uri BaseUri { get; set; } = new("https://api.twilio.com");

    /// <summary>How long one HTTP attempt may take, response body included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most message creates per second this process (one Functions instance) sends to Twilio, across every
    /// dispatcher in it (<see cref="TwilioSendGate"/>). Default 25: Twilio limits concurrent REST API requests per
    /// account (error 20429, "Too many requests", answered with HTTP 429) and queues each sender's texts for delivery at
    /// its own messages-per-second rate, so creating faster than that gains nothing; at Twilio's usual 0.2 s answer, 25 a
    /// second is about 5 requests in flight per instance, so 20 instances stay within an account concurrency of 100.
    /// Lower it for a small account or many instances; 1 to 1000.
    /// </summary>
    public int MaxSendsPerSecond { get; set; } = 25;

    public TwilioResilienceOptions Resilience { get; set; } = new();

    internal bool UsesApiKey => !string.IsNullOrEmpty(ApiKeySid);

    internal string BasicAuthUser => UsesApiKey ? ApiKeySid! : AccountSid;

    internal string BasicAuthPassword => UsesApiKey ? ApiKeySecret! : AuthToken!;

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, so a bad configuration fails at start-up.</summary>
    /// <exception cref="ArgumentException">One or more settings are missing or malformed; the message names each.</exception>
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

        if (BaseUri is null || !BaseUri.IsAbsoluteUri || !(BaseUri.Scheme == Uri.UriSchemeHttps || (BaseUri.Scheme == Uri.UriSchemeHttp && BaseUri.IsLoopback)))
        {
            problems.Add("BaseUri must be an absolute https URI (http only on a loopback address), since our credentials go there.");
        }
        else if (!string.IsNullOrEmpty(BaseUri.Query) || !string.IsNullOrEmpty(BaseUri.UserInfo))
        {
            problems.Add("BaseUri must have no query and no user info.");
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromDays(1))
        {
            problems.Add("RequestTimeout must be positive and at most a day.");
        }

        if (MaxSendsPerSecond is < 1 or > 1000)
        {
            problems.Add("MaxSendsPerSecond must be 1 to 1000.");
        }

        problems.AddRange(Resilience?.Problems() ?? ["Resilience is required."]);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid Twilio options: " + string.Join(" ", problems));
        }
    }

    [GeneratedRegex(@"\AAC[0-9a-fA-F]{32}\z")]
    private static partial Regex AccountSidPattern();

    [GeneratedRegex(@"\ASK[0-9a-fA-F]{32}\z")]
    private static partial Regex ApiKeySidPattern();
}
