using System.Text;
using System.Text.RegularExpressions;
using Aftercare.Testing;

namespace Aftercare.Functions.Tests;

/// <summary>
/// A Bicep file under <c>infra/</c> read as text, for tests that check what it declares without a Bicep compiler (none
/// is installed here): comments removed (outside string literals, so an https:// value survives), object and array
/// blocks found by bracket matching, and the app settings written as <c>Name: value</c> pairs.
/// </summary>
internal sealed partial class BicepSource
{
    private BicepSource(string path, string text)
    {
        Path = path;
        Text = text;
    }

    /// <summary>The path relative to <c>infra/</c>, with forward slashes.</summary>
    public string Path { get; }

    /// <summary>The file's text without comments.</summary>
    public string Text { get; }

    public static string InfraDirectory => System.IO.Path.Combine(RepositoryPaths.Root, "infra");

    public static BicepSource Load(string relativePath) =>
        new(relativePath, WithoutComments(File.ReadAllText(System.IO.Path.Combine(InfraDirectory, relativePath))));

    /// <summary>Every .bicep file under infra/, modules included.</summary>
    public static IReadOnlyList<BicepSource> All() =>
        [.. Directory.GetFiles(InfraDirectory, "*.bicep", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(file => Load(System.IO.Path.GetRelativePath(InfraDirectory, file).Replace('\\', '/')))];

    /// <summary>
    /// The text inside the first <c>{…}</c> or <c>[…]</c> that follows <paramref name="header"/> (a regular expression
    /// matched against the file, or against <paramref name="within"/>), without the brackets themselves.
    /// </summary>
    /// <exception cref="InvalidOperationException">the header, or a bracket after it, is not there.</exception>
    public string Block(string header, string? within = null)
    {
        var text = within ?? Text;
        var match = Regex.Match(text, header);
        if (!match.Success)
        {
            throw new InvalidOperationException($"{Path}: nothing matches '{header}'.");
        }

        var open = text.IndexOfAny(['{', '['], match.Index + match.Length);
        if (open < 0)
        {
            throw new InvalidOperationException($"{Path}: no block follows '{header}'.");
        }

        var depth = 0;
        var inString = false;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '\'')
                {
                    inString = false;
                }
            }
            else if (c == '\'')
            {
                inString = true;
            }
            else if (c is '{' or '[')
            {
                depth++;
            }
            else if (c is '}' or ']' && --depth == 0)
            {
                return text[(open + 1)..i];
            }
        }

        throw new InvalidOperationException($"{Path}: the block after '{header}' is not closed.");
    }

    /// <summary>
    /// The value written for <paramref name="key"/> (<c>key: value</c>) in <paramref name="block"/>: a string literal
    /// with its quotes, or the expression up to the end of the line; null when the key is not there.
    /// </summary>
    public static string? Property(string block, string key)
    {
        var match = Regex.Match(block, $@"(?<![\w.$]){Regex.Escape(key)}\s*:\s*(?<value>'(?:[^'\\]|\\.)*'|[^\r\n,}}]+)");
        return match.Success ? match.Groups["value"].Value.Trim() : null;
    }

    /// <summary>
    /// Every app setting this file writes as an object property (<c>AzureWebJobsStorage__…</c>, <c>Aftercare__…</c>,
    /// <c>APPLICATIONINSIGHTS_…</c>, <c>WEBSITE_…</c>, <c>FUNCTIONS_…</c>): its name as written (an interpolated
    /// name keeps its <c>${…}</c>) and its value expression.
    /// </summary>
    public IReadOnlyList<(string Name, string Value)> AppSettings() =>
        [.. AppSetting().Matches(Text).Select(m => (m.Groups["name"].Value, m.Groups["value"].Value.Trim()))];

    /// <summary>Removes <c>//</c> and <c>/* */</c> comments that are not inside a string literal.</summary>
    private static string WithoutComments(string source)
    {
        var result = new StringBuilder(source.Length);
        var inString = false;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (inString)
            {
                result.Append(c);
                if (c == '\\' && i + 1 < source.Length)
                {
                    result.Append(source[++i]);
                }
                else if (c == '\'')
                {
                    inString = false;
                }
            }
            else if (c == '\'')
            {
                inString = true;
                result.Append(c);
            }
            else if (c == '/' && i + 1 < source.Length && source[i + 1] == '/')
            {
                while (i < source.Length && source[i] != '\n')
                {
                    i++;
                }

                result.Append('\n');
            }
            else if (c == '/' && i + 1 < source.Length && source[i + 1] == '*')
            {
                var end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? source.Length : end + 1;
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    [GeneratedRegex(@"(?<![\w.$])'?(?<name>(?:AzureWebJobs|Aftercare__|APPLICATIONINSIGHTS_|WEBSITE_|FUNCTIONS_|SCM_|TZ\b)[A-Za-z0-9_.]*(?:\$\{\w+\}[A-Za-z0-9_]*)?)'?\s*:\s*(?<value>'(?:[^'\\]|\\.)*'|[^\r\n,}]+)")]
    private static partial Regex AppSetting();
}
