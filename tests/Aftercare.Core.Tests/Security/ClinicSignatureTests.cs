using System.Text;
using Aftercare.Core.Security;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Security;

/// <summary>
/// The <c>Aftercare-Signature</c> header is read exactly as specified: <c>t=&lt;digits&gt;,v1=&lt;64 lowercase hex&gt;</c>
/// with more <c>,v1=</c> values allowed for rotation; a space, another key, another order or anything around it is
/// malformed (issue 13, defect 9: <c>t=…, v1=…</c> used to be accepted).
/// </summary>
public class ClinicSignatureTests
{
    private const string Secret = "whsec_test_secret";
    private const string Method = "POST";
    private const string Path = "/api/clinics/cl_00000000000000000001/treatments";
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 20, 15, 0);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"externalId\":\"visit-1\"}");

    private static string Valid => ClinicSignature.Create(Secret, Now, Method, Path, Body);

    private static string Timestamp => Valid.Split(',')[0];

    private static string V1 => Valid.Split(',')[1];

    public static TheoryData<string> Malformed() =>
    [
        $"{Timestamp}, {V1}",
        $" {Valid}",
        $"{Valid} ",
        $"{Valid}\n",
        $"{Valid},",
        $",{Valid}",
        $"{V1},{Timestamp}",
        $"{Timestamp};{V1}",
        $"{Timestamp} ,{V1}",
        $"{Valid},v0={new string('a', 64)}",
        $"{Valid},x=y",
        $"{Timestamp},{Timestamp},{V1}",
        $"{Timestamp},{V1},{Timestamp}",
        $"{Timestamp},{V1.ToUpperInvariant().Replace("V1=", "v1=", StringComparison.Ordinal)}",
        $"{Timestamp},{V1[..^1]}",
        $"{Timestamp},{V1}a",
        $"{Timestamp},v1=",
        $"{Timestamp},V1={V1[3..]}",
        $"T={Timestamp[2..]},{V1}",
        $"t=,{V1}",
        $"t=+{Timestamp[2..]},{V1}",
        $"t=-{Timestamp[2..]},{V1}",
        $"t= {Timestamp[2..]},{V1}",
        $"t=1e9,{V1}",
        $"t=1234567890123,{V1}",
        Timestamp,
        V1,
        "t",
        "garbage",
    ];

    [Fact]
    public void A_header_created_by_the_scheme_is_valid()
    {
        Assert.Equal(SignatureCheck.Valid, ClinicSignature.Verify(Valid, Secret, Now, Method, Path, Body));
    }

    [Fact]
    public void Several_v1_values_are_allowed_while_a_secret_is_rotated()
    {
        var other = ClinicSignature.Create("whsec_other_secret", Now, Method, Path, Body).Split(',')[1];

        Assert.Equal(SignatureCheck.Valid, ClinicSignature.Verify($"{Timestamp},{other},{V1}", Secret, Now, Method, Path, Body));
        Assert.Equal(SignatureCheck.Mismatch, ClinicSignature.Verify($"{Timestamp},{other},{other}", Secret, Now, Method, Path, Body));
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Anything_but_the_exact_grammar_is_malformed(string header)
    {
        Assert.Equal(SignatureCheck.Malformed, ClinicSignature.Verify(header, Secret, Now, Method, Path, Body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_header_is_missing(string? header)
    {
        Assert.Equal(SignatureCheck.Missing, ClinicSignature.Verify(header, Secret, Now, Method, Path, Body));
    }

    [Fact]
    public void A_well_formed_timestamp_far_from_now_is_stale_not_malformed()
    {
        var header = $"t=999999999999,{V1}";

        Assert.Equal(SignatureCheck.Stale, ClinicSignature.Verify(header, Secret, Now, Method, Path, Body));
    }
}
