namespace Aftercare.Core.Messaging;

/// <summary>The character replacements <see cref="SmsText.Normalize"/> applies.</summary>
internal static class Gsm7Replacements
{
    public static string? For(char c) => c switch
    {
        '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u00AB' or '\u00BB' => "\"",
        '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' or '\u2039' or '\u203A' or '\u00B4' or '`' => "'",
        '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => "-",
        '\u2026' => "...",
        '\u2022' or '\u00B7' => "-",
        '\t' or '\u00A0' or '\u1680' or (>= '\u2000' and <= '\u200A') or '\u202F' or '\u205F' or '\u3000' => " ",
        '\u00AD' or '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' => string.Empty,
        '\u2028' or '\u2029' => "\n",
        'á' => "a",
        'í' => "i",
        'ó' => "o",
        'ú' => "u",
        'Á' => "A",
        'Í' => "I",
        'Ó' => "O",
        'Ú' => "U",
        _ => null,
    };
}
