using System.Security.Cryptography;
using System.Text;

namespace Aftercare.Storage;

/// <summary>A phone number as a row key: lowercase hex SHA-256 of the E.164 text, so keys (and logs of keys) never show the number.</summary>
internal static class PhoneKeys
{
    public static string For(string phone)
    {
        ArgumentException.ThrowIfNullOrEmpty(phone);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(phone)));
    }
}
