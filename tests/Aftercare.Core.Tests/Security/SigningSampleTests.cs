using System.Diagnostics;
using System.Text;
using Aftercare.Core.Security;
using Aftercare.Testing;
using ClinicIntegration;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Security;

/// <summary>
/// The signing samples for clinic integrators (<c>openapi/samples</c>, shown verbatim in the README) compute exactly the
/// <c>Aftercare-Signature</c> the app verifies (<see cref="ClinicSignature"/>): the C# one compiled into this project, the
/// bash (openssl), Python and Node ones run with the tools on this machine. A missing tool fails the test; none is skipped.
/// </summary>
public class SigningSampleTests
{
    private const string Secret = "whsec_Zm9vYmFyLzEyMytiYXo9";
    private const long UnixSeconds = 1795186800;

    private static readonly string Samples = Path.Combine(RepositoryPaths.Root, "openapi", "samples");

    /// <summary>A body with a '+', a quote and a non-ASCII letter, a path with %2B, a query, and no body at all.</summary>
    public static TheoryData<string, string, string> Requests() => new()
    {
        { "POST", "/api/clinics/cl_0123456789abcdef0123/treatments", "{\"externalId\":\"visit-1001\",\"client\":{\"firstName\":\"Zoë\",\"phone\":\"+447400123456\"}}\n" },
        { "DELETE", "/api/clinics/cl_0123456789abcdef0123/clients/%2B447400123456", string.Empty },
        { "GET", "/api/clinics/cl_0123456789abcdef0123/treatments/visit-1001?code=abc%3D%3D", string.Empty },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void The_csharp_sample_signs_as_the_app_verifies(string method, string target, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var header = AftercareSignature.Create(Secret, method, target, bytes, UnixSeconds);

        Assert.Equal(Expected(method, target, bytes), header);
        Assert.Equal(SignatureCheck.Valid, ClinicSignature.Verify(header, Secret, Instant.FromUnixTimeSeconds(UnixSeconds), method, target, bytes));
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task The_bash_python_and_node_samples_sign_as_the_app_verifies(string method, string target, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var bodyFile = Path.GetTempFileName();
        await File.WriteAllBytesAsync(bodyFile, bytes);
        try
        {
            var expected = Expected(method, target, bytes);
            var t = UnixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, await RunAsync("bash", "-c", "source sign.sh && aftercare_sign \"$@\"", "sign", Secret, method, target, bodyFile, t));
            Assert.Equal(expected, await RunAsync(
                "python3", "-c", "import sys; from sign import aftercare_signature; print(aftercare_signature(sys.argv[1], sys.argv[2], sys.argv[3], open(sys.argv[4], 'rb').read(), int(sys.argv[5])))",
                Secret, method, target, bodyFile, t));
            Assert.Equal(expected, await RunAsync(
                "node", "-e", "const { aftercareSignature } = require('./sign.js'); const [s, m, p, f, t] = process.argv.slice(1); console.log(aftercareSignature(s, m, p, require('fs').readFileSync(f), Number(t)));",
                Secret, method, target, bodyFile, t));
        }
        finally
        {
            File.Delete(bodyFile);
        }
    }

    [Fact]
    public async Task The_readme_shows_each_sample_as_committed()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "README.md"));
        foreach (var sample in new[] { "sign.sh", "sign.py", "sign.js", "AftercareSignature.cs" })
        {
            var text = (await File.ReadAllTextAsync(Path.Combine(Samples, sample))).TrimEnd('\n');
            Assert.True(readme.Contains(text, StringComparison.Ordinal), $"README.md does not show openapi/samples/{sample} as committed");
        }
    }

    private static string Expected(string method, string target, byte[] body) =>
        ClinicSignature.Create(Secret, Instant.FromUnixTimeSeconds(UnixSeconds), method, target, body);

    /// <summary>Runs a tool in the samples folder and returns its output line; a non-zero exit fails with its error output.</summary>
    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Samples,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} exited with {process.ExitCode}: {await error}");
        return (await output).TrimEnd('\n');
    }
}
