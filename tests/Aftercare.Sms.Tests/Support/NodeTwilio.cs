using System.Diagnostics;
using System.Text.Json;
using Aftercare.Testing;

namespace Aftercare.Sms.Tests.Support;

/// <summary>
/// The official Node.js helper (npm "twilio", <c>webhooks.getExpectedTwilioSignature</c>) as an oracle: what signature
/// Twilio's own library expects for a URL and a form, repeated keys as arrays.
/// </summary>
public static class NodeTwilio
{
    public static async Task<string> ExpectedSignatureAsync(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var parameters = form.GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count() == 1 ? (object)g.Single().Value : g.Select(p => p.Value).ToArray(), StringComparer.Ordinal);
        var input = JsonSerializer.Serialize(new { authToken, url, parameters });
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        info.ArgumentList.Add("-e");
        info.ArgumentList.Add("""
            const { getExpectedTwilioSignature } = require("twilio/lib/webhooks/webhooks");
            let text = "";
            process.stdin.on("data", d => text += d).on("end", () => {
              const { authToken, url, parameters } = JSON.parse(text);
              process.stdout.write(getExpectedTwilioSignature(authToken, url, parameters));
            });
            """);
        using var node = Process.Start(info) ?? throw new InvalidOperationException("node did not start.");
        await node.StandardInput.WriteAsync(input);
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        return node.ExitCode == 0 ? output : throw new InvalidOperationException("node failed: " + error);
    }
}
