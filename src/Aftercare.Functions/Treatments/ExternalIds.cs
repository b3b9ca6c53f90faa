using System.Text.RegularExpressions;

namespace Aftercare.Functions.Treatments;

/// <summary>
/// What a clinic's own treatment id (<c>externalId</c>) may be: 1–128 of the URI "unreserved" characters (RFC 3986
/// §2.3: A–Z, a–z, 0–9, <c>-</c>, <c>.</c>, <c>_</c>, <c>~</c>), not starting or ending with a dot. Such an id needs no
/// escaping, so the id a clinic registers is exactly the path segment it reads and cancels with: no <c>/</c> or
/// <c>%2F</c> for a router to split or refuse, no <c>.</c> or <c>..</c> segment for clients and servers to remove,
/// no trailing dot for a front end to trim, no space to trim. Ids are compared exactly (case-sensitive) and never altered.
/// </summary>
internal static partial class ExternalIds
{
    public const int MaxLength = 128;

    /// <summary>The rule in words, for the 400 that refuses an id.</summary>
    public const string Rule = "1 to 128 characters from A-Z, a-z, 0-9 and - . _ ~, not starting or ending with a dot.";

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex(@"\A(?!\.)[A-Za-z0-9._~-]{1,128}(?<!\.)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
