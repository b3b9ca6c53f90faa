using System.Security.Cryptography;
using System.Text;
using Aftercare.FunctionsHost.Functions;
using Microsoft.AspNetCore.Http;

namespace Aftercare.FunctionsHost.Http;

/// <summary>
/// The host's two keys and the key check of azure-functions-host's AuthenticationLevelHandler: the key comes from the
/// <c>x-functions-key</c> header, else the <c>code</c> query parameter; the master key grants Admin, the function key
/// Function (SecretManager.GetAuthorizationLevelAsync). Keys are compared in constant time.
/// </summary>
internal sealed class HostKeys(string functionKey, string masterKey)
{
    public const string KeyHeader = "x-functions-key";
    public const string KeyQueryParameter = "code";

    public string FunctionKey { get; } = functionKey;

    public string MasterKey { get; } = masterKey;

    /// <summary>A new random key: 32 bytes, base64url (no padding), like the keys Azure generates.</summary>
    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The level the request's key grants: Admin (master key), Function (function key) or Anonymous (none, or wrong).</summary>
    public AuthorizationLevel LevelOf(HttpRequest request)
    {
        var presented = request.Headers.TryGetValue(KeyHeader, out var header) ? header.FirstOrDefault()
            : request.Query.TryGetValue(KeyQueryParameter, out var query) ? query.FirstOrDefault()
            : null;
        if (string.IsNullOrEmpty(presented))
        {
            return AuthorizationLevel.Anonymous;
        }

        return Matches(presented, MasterKey) ? AuthorizationLevel.Admin
            : Matches(presented, FunctionKey) ? AuthorizationLevel.Function
            : AuthorizationLevel.Anonymous;
    }

    /// <summary>Whether a request granted <paramref name="granted"/> may call a function of <paramref name="required"/> level.</summary>
    public static bool Allows(AuthorizationLevel required, AuthorizationLevel granted) => required switch
    {
        AuthorizationLevel.Anonymous => true,
        AuthorizationLevel.Function => granted is AuthorizationLevel.Function or AuthorizationLevel.Admin,
        _ => granted == AuthorizationLevel.Admin,
    };

    private static bool Matches(string presented, string key) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key));
}
