using System.Globalization;
using System.Text.RegularExpressions;

namespace Aftercare.Core.Security;

/// <summary>
/// The exact grammar of the <c>Aftercare-Signature</c> header: <c>t=&lt;digits&gt;,v1=&lt;64 lowercase hex&gt;</c>,
/// optionally followed by more <c>,v1=&lt;64 lowercase hex&gt;</c> while a secret is rotated. No spaces, no other
/// keys, no other order: anything else is malformed rather than read generously (issue 13, defect 9).
/// </summary>
internal static partial class ClinicSignatureHeader
{
    /// <summary>
    /// Reads the Unix timestamp (seconds) and the candidate HMAC-SHA256 values (32 bytes each) from
    /// <paramref name="header"/>; false when it does not follow the grammar exactly.
    /// </summary>
    public static bool TryParse(string header, out long timestamp, out IReadOnlyList<byte[]> candidates)
    {
        timestamp = 0;
        candidates = [];
        var match = Grammar().Match(header);
        if (!match.Success || !long.TryParse(match.Groups["t"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp))
        {
            return false;
        }

        candidates = [.. match.Groups["v1"].Captures.Select(capture => Convert.FromHexString(capture.ValueSpan))];
        return true;
    }

    // Twelve digits reach past year 9999 in Unix seconds; more is never a real timestamp.
    [GeneratedRegex(@"\At=(?<t>[0-9]{1,12}),v1=(?<v1>[0-9a-f]{64})(?:,v1=(?<v1>[0-9a-f]{64}))*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
