using System.Text.Json;
using Aftercare.Testing;

namespace Aftercare.Sms.Tests.Support;

/// <summary>
/// Parameter names Twilio's OpenAPI description declares. Prism ignores form fields and query keys it does not know,
/// so the contract tests also check that everything we send is declared (a misspelt "MessagingServiceSID" would pass Prism).
/// </summary>
public static class TwilioSpec
{
    private const string MessagesPath = "/2010-04-01/Accounts/{AccountSid}/Messages.json";

    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllBytes(PrismServer.TwilioApiDocument)));

    public static IReadOnlySet<string> CreateMessageFields =>
        Document.Value.RootElement.GetProperty("paths").GetProperty(MessagesPath).GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/x-www-form-urlencoded")
            .GetProperty("schema").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> ListMessagesQuery =>
        Document.Value.RootElement.GetProperty("paths").GetProperty(MessagesPath).GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query")
            .Select(p => p.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal);

    /// <summary>The keys of a form body or a query string, decoded.</summary>
    public static IReadOnlyList<string> Keys(string? encoded) =>
        string.IsNullOrEmpty(encoded)
            ? []
            : encoded.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => Uri.UnescapeDataString(pair.Split('=', 2)[0].Replace('+', ' ')))
                .ToList();
}
