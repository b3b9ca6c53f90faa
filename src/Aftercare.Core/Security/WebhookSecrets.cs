using System.Security.Cryptography;

namespace Aftercare.Core.Security;

public static class WebhookSecrets
{
    /// <summary>A new clinic secret: 32 random bytes, prefixed so it is recognisable in a secret scanner.</summary>
    public static string Create() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
