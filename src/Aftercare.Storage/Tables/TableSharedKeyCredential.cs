using System.Security.Cryptography;
using System.Text;

namespace Aftercare.Storage.Tables;

/// <summary>A storage account name and key; the key can be rotated in place.</summary>
public sealed class TableSharedKeyCredential
{
    private byte[] _key;

    public TableSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        AccountName = accountName;
        _key = DecodeKey(accountKey);
    }

    public string AccountName { get; }

    public void SetAccountKey(string accountKey) => Volatile.Write(ref _key, DecodeKey(accountKey));

    /// <summary>Base64 HMAC-SHA256 of the string-to-sign under the account key.</summary>
    public string ComputeSignature(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(Volatile.Read(ref _key), Encoding.UTF8.GetBytes(stringToSign)));

    public override string ToString() => $"TableSharedKeyCredential({AccountName})";

    private static byte[] DecodeKey(string accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountKey);
        try
        {
            return Convert.FromBase64String(accountKey);
        }
        catch (FormatException)
        {
            throw new ArgumentException("The account key is not valid base64.", nameof(accountKey));
        }
    }
}
