using System.Text;

namespace Aftercare.Core.Messaging;

/// <summary>
/// Template syntax: text with placeholders in braces — {firstName} {clinicName} {bookingUrl} {clinicPhone}. Braces
/// are only ever placeholders (a literal brace is not needed in aftercare advice and costs two septets anyway).
/// </summary>
public static class MessageTemplates
{
    public const string FirstName = "firstName";
    public const string ClinicName = "clinicName";
    public const string BookingUrl = "bookingUrl";
    public const string ClinicPhone = "clinicPhone";

    public static IReadOnlyList<string> Placeholders { get; } = [FirstName, ClinicName, BookingUrl, ClinicPhone];

    /// <summary>
    /// Realistic longest values, each at its <see cref="ContentLimits"/> maximum and in GSM-7 basic characters (one
    /// unit each): the worst case a template must fit with, since no value within its limit costs more
    /// (<see cref="ContentLimits.Units"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> LongestValues { get; } = new Dictionary<string, string>
    {
        [FirstName] = "Maximiliana Josefina",
        [ClinicName] = "Riverside Skin & Laser Studio.",
        [BookingUrl] = "https://book.riverside-skin.com/r/8f3k2q",
        [ClinicPhone] = "+447911123456789",
    };

    /// <summary>
    /// What is wrong with a template for <paramref name="locale"/> (empty when nothing): an unknown placeholder, a
    /// stray brace, a locale without an <see cref="OptOutLine"/>, or a text that, filled with <see cref="LongestValues"/>
    /// and carrying the opt-out line (any stage may be the first a number receives), could take more than
    /// <see cref="ContentLimits.MaxSegments"/> segments: more than <see cref="ContentLimits.SafeUnits"/> units. Use it
    /// for plan files and for a clinic's own overrides alike.
    /// </summary>
    public static IReadOnlyList<string> Validate(string template, string locale)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(locale);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(template))
        {
            problems.Add("the template is empty");
            return problems;
        }

        foreach (var token in Tokenize(template))
        {
            if (token.Error is { } error)
            {
                problems.Add(error);
            }
            else if (token.Placeholder is { } name && !Placeholders.Contains(name))
            {
                problems.Add($"unknown placeholder {{{name}}}; known: {string.Join(", ", Placeholders.Select(p => $"{{{p}}}"))}");
            }
        }

        if (!OptOutLine.Has(locale))
        {
            problems.Add($"there is no opt-out line in the language of '{locale}' (there is for: {string.Join(", ", OptOutLine.Languages)})");
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        var measure = SmsText.Measure(OptOutLine.AppendTo(SmsText.Normalize(Fill(template, LongestValues)), locale));
        if (measure.Units > ContentLimits.SafeUnits(measure.Encoding))
        {
            problems.Add(
                $"with the longest allowed values and the opt-out line it takes {measure.Units} {measure.Encoding} units; " +
                $"at most {ContentLimits.SafeUnits(measure.Encoding)} are sure to fit {ContentLimits.MaxSegments} segments");
        }

        return problems;
    }

    /// <summary>The names of the <c>{placeholder}</c>s in <paramref name="template"/>, in order (known or not; malformed braces are skipped).</summary>
    public static IReadOnlyList<string> PlaceholdersIn(string template) =>
        [.. Tokenize(template).Select(token => token.Placeholder).OfType<string>()];

    /// <summary>
    /// Fills placeholders. An empty value also drops the one space before it, so "Hi {firstName}," reads "Hi,".
    /// Unknown placeholders throw: templates are validated when plans load, so this signals a programming error.
    /// </summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var builder = new StringBuilder(template.Length + 64);
        foreach (var token in Tokenize(template))
        {
            if (token.Error is { } error)
            {
                throw new FormatException(error);
            }

            if (token.Placeholder is not { } name)
            {
                builder.Append(token.Text);
                continue;
            }

            if (!values.TryGetValue(name, out var value))
            {
                throw new FormatException($"unknown placeholder {{{name}}}");
            }

            if (value.Length == 0 && builder.Length > 0 && builder[^1] == ' ')
            {
                builder.Length--;
            }

            builder.Append(value);
        }

        return builder.ToString();
    }

    private static IEnumerable<Token> Tokenize(string template)
    {
        var literalStart = 0;
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '}')
            {
                yield return Token.Invalid($"a '}}' at position {i} closes no placeholder");
                yield break;
            }

            if (template[i] != '{')
            {
                continue;
            }

            var close = template.IndexOf('}', i + 1);
            var nextOpen = template.IndexOf('{', i + 1);
            if (close < 0 || (nextOpen >= 0 && nextOpen < close))
            {
                yield return Token.Invalid($"the '{{' at position {i} is not closed");
                yield break;
            }

            if (i > literalStart)
            {
                yield return Token.Literal(template[literalStart..i]);
            }

            yield return Token.For(template[(i + 1)..close]);
            i = close;
            literalStart = close + 1;
        }

        if (literalStart < template.Length)
        {
            yield return Token.Literal(template[literalStart..]);
        }
    }

    private readonly record struct Token(string? Text, string? Placeholder, string? Error)
    {
        public static Token Literal(string text) => new(text, null, null);

        public static Token For(string placeholder) => new(null, placeholder, null);

        public static Token Invalid(string error) => new(null, null, error);
    }
}
