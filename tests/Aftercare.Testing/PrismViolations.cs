using System.Collections.Concurrent;
using System.Text.Json;

namespace Aftercare.Testing;

/// <summary>What Prism reported in sl-violations, split into request violations (ours) and response ones (the document's).</summary>
public sealed class PrismViolations
{
    private readonly ConcurrentQueue<PrismViolation> _all = new();

    public IReadOnlyList<PrismViolation> All => [.. _all];

    public IReadOnlyList<PrismViolation> InRequests => All.Where(v => v.Location.Count == 0 || v.Location[0] != "response").ToList();

    internal void Add(IEnumerable<PrismViolation> violations)
    {
        foreach (var violation in violations)
        {
            _all.Enqueue(violation);
        }
    }
}

public sealed record PrismViolation(IReadOnlyList<string> Location, string Severity, string Code, string Message)
{
    public override string ToString() => $"{string.Join('.', Location)} [{Severity} {Code}] {Message}";
}

internal sealed class PrismViolationsHandler(PrismViolations violations) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("sl-violations", out var values))
        {
            foreach (var value in values)
            {
                violations.Add(Parse(value));
            }
        }

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
