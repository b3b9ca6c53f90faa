using System.Reflection;
using System.Text.RegularExpressions;
using Aftercare.Functions.Hosting;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The Bicep and the README name only settings the app reads (through configuration binding, or through a binding
/// expression the host resolves, like the timer's schedule), and the Bicep sets what production needs.
/// </summary>
public sealed partial class ConfigurationDocsTests
{
    private static readonly HashSet<string> Readable = ReadableKeys();

    /// <summary>
    /// Every privacy setting; <c>SecretKeys</c> is a map whose entries are <c>Aftercare__Privacy__SecretKeys__&lt;keyId&gt;</c>,
    /// and the retention schedule is read by the host for the timer.
    /// </summary>
    private static readonly string[] PrivacySettings =
    [
        "Aftercare__Privacy__ActiveSecretKeyId",
        "Aftercare__Privacy__PhoneKey",
        "Aftercare__Privacy__RetentionDays",
        "Aftercare__Privacy__RetentionSchedule",
        "Aftercare__Privacy__SecretKeys",
    ];

    [Fact]
    public void Every_setting_the_bicep_deploys_is_one_the_handler_reads()
    {
        var deployed = DeployedSettingNames();
        Assert.NotEmpty(deployed);
        Assert.All(deployed, key => Assert.Contains(key, Readable));
        Assert.Contains("Aftercare__Storage__TableEndpoint", deployed);
        Assert.Contains("Aftercare__Storage__ManagedIdentityClientId", deployed);
        Assert.Contains("Aftercare__PublicBaseUrl", deployed);
        Assert.Contains("Aftercare__Twilio__AuthToken", deployed);
        Assert.Contains("Aftercare__Dispatch__Schedule", deployed);
        Assert.Contains("Aftercare__Alerts__Schedule", deployed);
        Assert.All(PrivacySettings, key => Assert.Contains(key, deployed));
    }

    [Fact]
    public void The_readme_and_the_bicep_name_every_privacy_setting_the_app_reads()
    {
        var readable = Readable.Where(key => key.StartsWith("Aftercare__Privacy__", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(PrivacySettings.Order(StringComparer.Ordinal), readable);
        var documented = SettingNames(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")));
        Assert.All(readable, key => Assert.Contains(key, documented));
    }

    [Fact]
    public void Every_setting_the_readme_documents_is_one_the_handler_reads()
    {
        var documented = SettingNames(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")));
        Assert.True(documented.Count >= 10, "the README configuration table lists the settings");
        Assert.All(documented, key => Assert.Contains(key, Readable));
    }

    /// <summary>The Aftercare settings named in any Bicep file under infra/ (main.bicep and its modules), comments aside.</summary>
    private static HashSet<string> DeployedSettingNames() =>
        BicepSource.All().SelectMany(file => SettingNames(file.Text)).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> SettingNames(string text) =>
        SettingName().Matches(text).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Every key configuration binding can fill (the Aftercare options and the Twilio options beneath them; a map is its
    /// own name, its entries are <c>name__&lt;key&gt;</c>), and every app setting a binding expression (<c>%Section:Key%</c>)
    /// in functions.metadata names, as its app-setting name.
    /// </summary>
    private static HashSet<string> ReadableKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        AddKeys(typeof(AftercareOptions), AftercareOptions.Section, keys);
        AddKeys(typeof(TwilioOptions), AftercareOptions.Section + "__Twilio", keys);
        var metadata = File.ReadAllText(Path.Combine(RepositoryPaths.FunctionsAppDirectory, "functions.metadata"));
        foreach (Match expression in BindingExpression().Matches(metadata))
        {
            keys.Add(expression.Groups["key"].Value.Replace(":", "__", StringComparison.Ordinal));
        }

        return keys;
    }

    private static void AddKeys(Type type, string prefix, HashSet<string> keys)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}__{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsAssignableTo(typeof(System.Collections.IDictionary)))
            {
                keys.Add(key);
            }
            else if (propertyType.IsClass && propertyType != typeof(string) && propertyType != typeof(Uri))
            {
                AddKeys(propertyType, key, keys);
            }
            else
            {
                keys.Add(key);
            }
        }
    }

    [GeneratedRegex(@"Aftercare__[A-Za-z]+(__[A-Za-z]+)*")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"%(?<key>[A-Za-z]+(:[A-Za-z]+)*)%")]
    private static partial Regex BindingExpression();
}
