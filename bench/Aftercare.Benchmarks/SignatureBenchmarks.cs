using System.Text;
using Aftercare.Core.Security;
using BenchmarkDotNet.Attributes;
using NodaTime;

namespace Aftercare.Benchmarks;

/// <summary>The tenant check every clinic request pays: verifying an Aftercare-Signature over a typical body.</summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private const string Secret = "whsec_benchmark-secret-of-realistic-length-0123456789";
    private const string Path = "/api/clinics/cl_0123456789abcdef0123/treatments";
    private readonly Instant _now = Instant.FromUtc(2026, 11, 21, 14, 30);
    private byte[] _body = null!;
    private string _header = null!;

    [Params(600, 16_384)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes("{\"externalId\":\"" + new string('x', BodyBytes - 18) + "\"}");
        _header = ClinicSignature.Create(Secret, _now, "POST", Path, _body);
    }

    [Benchmark]
    public SignatureCheck Verify() => ClinicSignature.Verify(_header, Secret, _now, "POST", Path, _body);
}
