using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using Azure;
using Azure.Core;

namespace Aftercare.Sms.Twilio;

/// <summary>An <see cref="HttpResponseMessage"/> whose body is already buffered, seen as an Azure.Core <see cref="Response"/>.</summary>
internal sealed class TwilioResponse : Response
{
    private readonly int _status;
    private readonly string _reasonPhrase;
    private readonly List<KeyValuePair<string, string[]>> _headers;

    private TwilioResponse(int status, string reasonPhrase, List<KeyValuePair<string, string[]>> headers, byte[] body)
    {
        _status = status;
        _reasonPhrase = reasonPhrase;
        _headers = headers;
        ContentStream = new MemoryStream(body, writable: false);
        ClientRequestId = TryGetHeader("Twilio-Request-Id", out var id) ? id : string.Empty;
    }

    public override int Status => _status;

    public override string ReasonPhrase => _reasonPhrase;

    public override Stream? ContentStream { get; set; }

    public override string ClientRequestId { get; set; }

    public static async Task<TwilioResponse> ReadAsync(HttpResponseMessage message, CancellationToken cancellationToken)
    {
        var body = await message.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = Flatten(message.Headers).Concat(Flatten(message.Content.Headers)).ToList();
        return new TwilioResponse((int)message.StatusCode, message.ReasonPhrase ?? string.Empty, headers, body);
    }

    public override void Dispose() => ContentStream?.Dispose();

    protected override bool ContainsHeader(string name) => _headers.Exists(h => Matches(h.Key, name));

    protected override IEnumerable<HttpHeader> EnumerateHeaders() =>
        _headers.Select(h => new HttpHeader(h.Key, string.Join(",", h.Value)));

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = TryGetHeaderValues(name, out var values) ? string.Join(",", values) : null;
        return value is not null;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        var found = _headers.FindAll(h => Matches(h.Key, name));
        values = found.Count == 0 ? null : found.SelectMany(h => h.Value).ToArray();
        return values is not null;
    }

    private static bool Matches(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<KeyValuePair<string, string[]>> Flatten(HttpHeaders headers) =>
        headers.Select(h => new KeyValuePair<string, string[]>(h.Key, h.Value.ToArray()));
}
