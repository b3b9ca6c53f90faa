using System.Reflection;
using System.Text.RegularExpressions;
using Aftercare.Core.Phones;
using Aftercare.Functions.Hosting;
using Aftercare.Sms.Twilio;
using Aftercare.Storage;
using Aftercare.Testing;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// Every regular expression in the app's assemblies is a validation pattern, and each must reject its valid value with a
/// newline before or after it: in .NET, <c>$</c> also matches before a final "\n", which let "+447700900123\n" through
/// (issue 13). Patterns are found by reflection over every <c>[GeneratedRegex]</c> method and property, so a new one
/// fails here until it has a sample below; the source is searched for any other way to build a Regex.
/// </summary>
public sealed partial class ValidationPatternTests
{
    private static readonly Assembly[] AppAssemblies =
    [
        typeof(CanonicalPhone).Assembly,
        typeof(AftercareTables).Assembly,
        typeof(TwilioOptions).Assembly,
        typeof(AftercareWorker).Assembly,
    ];

    /// <summary>A value each pattern accepts, by "Type.Member".</summary>
    private static readonly Dictionary<string, string> Samples = new(StringComparer.Ordinal)
    {
        ["Aftercare.Core.Phones.CanonicalPhone.WrittenNumber"] = "+44 (0)7400 123-456",
        ["Aftercare.Core.Plans.PlanParser.KeySafeId"] = "welcome-redness",
        ["Aftercare.Core.Plans.PlanParser.LocaleTag"] = "es-MX",
        ["Aftercare.Storage.Tables.TableNames.Pattern"] = "aftercareTreatments",
        ["Aftercare.Storage.Tables.EntityRules.PropertyName"] = "ClientPhone",
        ["Aftercare.Sms.Twilio.TwilioOptions.AccountSidPattern"] = "AC" + new string('a', 32),
        ["Aftercare.Sms.Twilio.TwilioOptions.ApiKeySidPattern"] = "SK" + new string('0', 32),
        ["Aftercare.Functions.Http.ValidationErrors.ServiceSid"] = "MG" + new string('f', 32),
        ["Aftercare.Functions.Treatments.ExternalIds.Pattern"] = "Visit-1001_a.b~c",
        ["Aftercare.Core.Alerts.ClinicAlert.IdPattern"] = "reply-SM0123456789abcdef0123456789abcdef",
        ["Aftercare.Core.Security.ClinicSignatureHeader.Grammar"] = "t=1764547200,v1=" + new string('a', 64) + ",v1=" + new string('0', 64),
    };

    public static TheoryData<string> Patterns() => [.. FindPatterns().Keys];

    [Theory]
    [MemberData(nameof(Patterns))]
    public void A_pattern_accepts_its_sample_and_refuses_it_with_a_newline_around_it(string pattern)
    {
        var regex = FindPatterns()[pattern];
        Assert.True(Samples.TryGetValue(pattern, out var sample), $"{pattern} ({regex}) has no sample: add a value it accepts to {nameof(Samples)}.");

        Assert.Matches(regex, sample);
        foreach (var variant in new[] { sample + "\n", sample + "\r\n", "\n" + sample, sample + "\nx" })
        {
            Assert.False(regex.IsMatch(variant), $"{pattern} ({regex}) accepts {System.Text.Json.JsonSerializer.Serialize(variant)}: anchor it with \\A and \\z.");
        }
    }

    [Fact]
    public void Every_sample_belongs_to_a_pattern_that_still_exists()
    {
        Assert.Empty(Samples.Keys.Except(FindPatterns().Keys));
    }

    [Fact]
    public void The_app_builds_no_regex_any_other_way()
    {
        var src = Path.Combine(RepositoryPaths.Root, "src");
        var others = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, index)))
            .Where(l => OtherRegex().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(src, l.path)}:{l.index + 1}: {l.line.Trim()}")
            .ToList();
        Assert.True(others.Count == 0, "Use [GeneratedRegex] (so this test finds the pattern):\n" + string.Join("\n", others));
    }

    private static Dictionary<string, Regex> FindPatterns()
    {
        const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var patterns = new Dictionary<string, Regex>(StringComparer.Ordinal);
        foreach (var type in AppAssemblies.SelectMany(a => a.GetTypes()))
        {
            foreach (var member in type.GetMembers(Everything).Where(m => m.IsDefined(typeof(GeneratedRegexAttribute))))
            {
                var regex = member switch
                {
                    MethodInfo { IsStatic: true } method => (Regex)method.Invoke(null, null)!,
                    PropertyInfo property when property.GetMethod is { IsStatic: true } getter => (Regex)getter.Invoke(null, null)!,
                    _ => throw new InvalidOperationException($"{type.FullName}.{member.Name}: only static [GeneratedRegex] members are checked."),
                };
                patterns.Add($"{type.FullName}.{member.Name}", regex);
            }
        }

        return patterns;
    }

    [GeneratedRegex(@"new\s+Regex\s*\(|\bRegex\s*\.\s*(IsMatch|Match|Matches|Replace|Split|Count|EnumerateMatches)\s*\(", RegexOptions.CultureInvariant)]
    private static partial Regex OtherRegex();
}
