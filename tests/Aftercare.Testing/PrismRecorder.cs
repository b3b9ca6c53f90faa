using System.Collections.Concurrent;
using System.Text.Json;

namespace Aftercare.Testing;

/// <summary>
/// What went to Prism and what Prism reported in sl-violations, split into request violations (ours) and response
/// ones (the document's own examples).
/// </summary>
public sealed class PrismRecorder
{
    private readonly ConcurrentQueue<PrismViolation> _violations = new();
    private readonly ConcurrentQueue<PrismRequest> _requests = new();

    public IReadOnlyList<PrismRequest> Requests => [.. _requests];

    public IReadOnlyList<PrismViolation> Violations => [.. _violations];

    public IReadOnlyList<PrismViolation> RequestViolations =>
        Violations.Where(v => v.Location.Count == 0 || v.Location[0] != "response").ToList();

    internal void Record(PrismRequest request, IEnumerable<PrismViolation> violations)
    {
        _requests.Enqueue(request);

        foreach (var violation in violations)
        {
            _violations.Enqueue(violation);
        }
    }
}

/// <summary>A request as it went to Prism; <see cref="Body"/> is the text of a form or JSON body.</summary>
public sealed record PrismRequest(HttpMethod Method, Uri Uri, string? Body);

public sealed record PrismViolation(IReadOnlyList<string> Location, string Severity, string Code, string Message)
{
    public override string ToString() => $"{string.Join('.', Location)} [{Severity} {Code}] {Message}";
}

internal sealed class PrismRecordingHandler(PrismRecorder recorder) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        var violations = response.Headers.TryGetValues("sl-violations", out var values) ? values.SelectMany(Parse) : [];
        recorder.Record(new PrismRequest(request.Method, request.RequestUri!, body), violations);
        return response;
    }

    private static List<PrismViolation> Parse(string header)
    {
        using var document = JsonDocument.Parse(header);
        return document.RootElement.EnumerateArray().Select(v => new PrismViolation(
            v.GetProperty("location").EnumerateArray().Select(l => l.ToString()).ToList(),
            v.TryGetProperty("severity", out var s) ? s.GetString() ?? string.Empty : string.Empty,
            v.TryGetProperty("code", out var c) ? c.ToString() : string.Empty,
            v.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty)).ToList();
    }
}
