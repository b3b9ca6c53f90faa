namespace Aftercare.Core.Messaging;

/// <summary>
/// The GSM 03.38 default alphabet (basic table) and its extension table, as Unicode characters. Extension characters
/// are sent as an escape plus a code, so each costs two septets.
/// </summary>
internal static class Gsm7Alphabet
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "\f^{}\\[~]|€";

    private static readonly HashSet<char> BasicSet = [.. Basic];
    private static readonly HashSet<char> ExtensionSet = [.. Extension];

    public static bool IsBasic(char c) => BasicSet.Contains(c);

    public static bool IsExtension(char c) => ExtensionSet.Contains(c);

    /// <summary>Septets the character costs: 1 (basic), 2 (extension), or null when GSM-7 cannot carry it.</summary>
    public static int? Septets(char c) => IsBasic(c) ? 1 : IsExtension(c) ? 2 : null;
}
