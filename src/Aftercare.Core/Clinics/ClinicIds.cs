using System.Security.Cryptography;

namespace Aftercare.Core.Clinics;

public static class ClinicIds
{
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>A new clinic id: short, random, and safe as a storage key and in a URL path.</summary>
    public static string Create() => "cl_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    /// <summary>True for the shape <see cref="Create"/> makes; anything else cannot name a clinic.</summary>
    public static bool IsWellFormed(string? value) =>
        value is { Length: 23 } && value.StartsWith("cl_", StringComparison.Ordinal) && !value.AsSpan(3).ContainsAnyExcept(LowerHex);
}
