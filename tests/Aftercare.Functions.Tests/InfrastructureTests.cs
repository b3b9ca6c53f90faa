using System.Text.RegularExpressions;
using Aftercare.Testing;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// What <c>azd up</c> deploys (azure.yaml, infra/main.bicep and its modules) holds what the app needs on Flex
/// Consumption, checked on the Bicep text since no Bicep compiler is installed here. Sources: "Flex Consumption plan"
/// (learn.microsoft.com/azure/azure-functions/flex-consumption-plan), its deprecations in "App settings reference"
/// (functions-app-settings#flex-consumption-plan-deprecations), identity-based host storage in "Connecting to host
/// storage with an identity" (functions-reference#connecting-to-host-storage-with-an-identity), and the built-in
/// role ids (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
/// </summary>
public sealed partial class InfrastructureTests
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    /// <summary>App settings whose values are secrets: each must be a Key Vault reference, never a value.</summary>
    private static readonly string[] SecretSettingPrefixes =
    [
        "Aftercare__Privacy__PhoneKey",
        "Aftercare__Privacy__SecretKeys__",
        "Aftercare__Twilio__AuthToken",
        "Aftercare__Twilio__ApiKeySecret",
    ];

    private static readonly BicepSource Main = BicepSource.Load("main.bicep");
    private static readonly BicepSource Api = BicepSource.Load("app/api.bicep");
    private static readonly BicepSource Rbac = BicepSource.Load("app/rbac.bicep");
    private static readonly BicepSource Vault = BicepSource.Load("app/vault.bicep");

    [Fact]
    public void Azure_yaml_deploys_the_worker_project_as_a_dotnet_function_app()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "azure.yaml"));
        var service = YamlService().Match(yaml);
        Assert.True(service.Success, "azure.yaml has a services: entry");
        var body = service.Groups["body"].Value;

        Assert.Equal("function", YamlValue(body, "host"));
        Assert.Equal("dotnet", YamlValue(body, "language"));
        var project = YamlValue(body, "project");
        Assert.NotNull(project);
        Assert.True(
            File.Exists(Path.Combine(RepositoryPaths.Root, project!, "Aftercare.Functions.csproj")),
            $"azure.yaml's project '{project}' is the isolated worker's project directory");
        Assert.True(File.Exists(Path.Combine(BicepSource.InfraDirectory, "main.bicep")), "azd provisions infra/main.bicep");
    }

    [Fact]
    public void The_plan_is_flex_consumption_and_the_runtime_is_dotnet_isolated_10()
    {
        var plan = Main.Block(@"module appServicePlan 'br/public:avm/res/web/serverfarm:[^']+' =");
        var sku = Main.Block(@"sku\s*:", plan);
        Assert.Equal("'FC1'", BicepSource.Property(sku, "name"));
        Assert.Equal("'FlexConsumption'", BicepSource.Property(sku, "tier"));

        var apiModule = Main.Block(@"module api 'app/api\.bicep' =");
        Assert.Equal("'dotnet-isolated'", BicepSource.Property(apiModule, "runtimeName"));
        Assert.Equal("'10.0'", BicepSource.Property(apiModule, "runtimeVersion"));

        var config = Api.Block(@"functionAppConfig\s*:");
        var runtime = Api.Block(@"runtime\s*:", config);
        Assert.Equal("runtimeName", BicepSource.Property(runtime, "name"));
        Assert.Equal("runtimeVersion", BicepSource.Property(runtime, "version"));
    }

    [Fact]
    public void The_package_comes_from_a_blob_container_through_the_user_assigned_identity_and_scale_is_set()
    {
        var config = Api.Block(@"functionAppConfig\s*:");
        var deployment = Api.Block(@"deployment\s*:", config);
        var storage = Api.Block(@"storage\s*:", deployment);
        Assert.Equal("'blobContainer'", BicepSource.Property(storage, "type"));
        Assert.Equal("'${stg.properties.primaryEndpoints.blob}${deploymentStorageContainerName}'", BicepSource.Property(storage, "value"));
        var authentication = Api.Block(@"authentication\s*:", storage);
        Assert.Equal("'UserAssignedIdentity'", BicepSource.Property(authentication, "type"));
        Assert.Equal("identityId", BicepSource.Property(authentication, "userAssignedIdentityResourceId"));

        var scale = Api.Block(@"scaleAndConcurrency\s*:", config);
        Assert.Equal("maximumInstanceCount", BicepSource.Property(scale, "maximumInstanceCount"));
        Assert.Equal("instanceMemoryMB", BicepSource.Property(scale, "instanceMemoryMB"));
        var alwaysReady = Api.Block(@"alwaysReady\s*:", scale);
        Assert.Equal("'http'", BicepSource.Property(alwaysReady, "name"));
        Assert.Equal("alwaysReadyHttpInstances", BicepSource.Property(alwaysReady, "instanceCount"));

        Assert.Matches(@"param alwaysReadyHttpInstances int = 0\b", Main.Text);
        Assert.Matches(@"param maximumInstanceCount int = \d+", Main.Text);
        Assert.Matches(@"param instanceMemoryMB int = \d+", Main.Text);
        Assert.Matches(@"param vnetEnabled bool = false\b", Main.Text);
    }

    [Fact]
    public void The_host_reaches_blob_queue_and_table_storage_with_the_managed_identity_and_shared_keys_are_off()
    {
        var settings = Api.AppSettings().ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);
        Assert.Equal("'managedidentity'", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("identityClientId", settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("stg.properties.primaryEndpoints.blob", settings["AzureWebJobsStorage__blobServiceUri"]);
        Assert.Equal("stg.properties.primaryEndpoints.queue", settings["AzureWebJobsStorage__queueServiceUri"]);
        Assert.Equal("stg.properties.primaryEndpoints.table", settings["AzureWebJobsStorage__tableServiceUri"]);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);

        // Aftercare's own Tables through the same identity.
        Assert.Equal("stg.properties.primaryEndpoints.table", settings["Aftercare__Storage__TableEndpoint"]);
        Assert.Equal("identityClientId", settings["Aftercare__Storage__ManagedIdentityClientId"]);
        Assert.DoesNotContain("Aftercare__Storage__ConnectionString", settings.Keys);

        // The endpoints are switched on where main.bicep decides (the quickstart turns queue and table off).
        var endpoints = Main.Block(@"var storageEndpointConfig =");
        Assert.Equal("true", BicepSource.Property(endpoints, "enableBlob"));
        Assert.Equal("true", BicepSource.Property(endpoints, "enableQueue"));
        Assert.Equal("true", BicepSource.Property(endpoints, "enableTable"));
        var apiModule = Main.Block(@"module api 'app/api\.bicep' =");
        Assert.Equal("storageEndpointConfig.enableQueue", BicepSource.Property(apiModule, "enableQueue"));
        Assert.Equal("storageEndpointConfig.enableTable", BicepSource.Property(apiModule, "enableTable"));

        var storage = Main.Block(@"module storage 'br/public:avm/res/storage/storage-account:[^']+' =");
        Assert.Equal("false", BicepSource.Property(storage, "allowSharedKeyAccess"));
        Assert.Equal("false", BicepSource.Property(storage, "allowBlobPublicAccess"));
    }

    [Fact]
    public void The_identity_and_the_deploying_user_hold_the_four_data_roles_and_the_identity_reads_key_vault()
    {
        var granted = RoleAssignments();
        foreach (var role in new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor, MonitoringMetricsPublisher })
        {
            Assert.Contains(("managedIdentityPrincipalId", "ServicePrincipal", role), granted);
            Assert.Contains(("userIdentityPrincipalId", "User", role), granted);
        }

        Assert.Contains(("managedIdentityPrincipalId", "ServicePrincipal", KeyVaultSecretsUser), granted);

        var rbacModule = Main.Block(@"module rbac 'app/rbac\.bicep' =");
        Assert.Equal("apiUserAssignedIdentity.outputs.principalId", BicepSource.Property(rbacModule, "managedIdentityPrincipalId"));
        Assert.Equal("principalId", BicepSource.Property(rbacModule, "userIdentityPrincipalId"));
        Assert.Equal("storageEndpointConfig.enableQueue", BicepSource.Property(rbacModule, "enableQueue"));
        Assert.Equal("storageEndpointConfig.enableTable", BicepSource.Property(rbacModule, "enableTable"));
        Assert.Equal("true", BicepSource.Property(Main.Block(@"var storageEndpointConfig ="), "allowUserIdentityPrincipal"));
        Assert.Matches(@"param principalId string = deployer\(\)\.objectId", Main.Text);
    }

    [Fact]
    public void Application_insights_takes_only_entra_id_telemetry_from_the_identity()
    {
        var insights = Main.Block(@"module monitoring 'br/public:avm/res/insights/component:[^']+' =");
        Assert.Equal("true", BicepSource.Property(insights, "disableLocalAuth"));

        var settings = Api.AppSettings().ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);
        Assert.Equal("'ClientId=${identityClientId};Authorization=AAD'", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal("applicationInsights.properties.ConnectionString", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
    }

    [Fact]
    public void Every_secret_setting_is_a_key_vault_reference_to_a_secret_the_vault_module_writes()
    {
        var vault = Vault.Block(@"resource vault 'Microsoft\.KeyVault/vaults@[^']+' =");
        Assert.Equal("true", BicepSource.Property(vault, "enableRbacAuthorization"));
        var written = SecretNames().Matches(Vault.Text).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(3, written.Count);

        var secrets = Api.AppSettings().Where(s => SecretSettingPrefixes.Any(p => s.Name.StartsWith(p, StringComparison.Ordinal))).ToList();
        Assert.Contains(secrets, s => s.Name == "Aftercare__Privacy__PhoneKey");
        Assert.Contains(secrets, s => s.Name == "Aftercare__Privacy__SecretKeys__${webhookSecretKeyId}");
        Assert.Contains(secrets, s => s.Name == "Aftercare__Twilio__AuthToken");
        foreach (var (name, value) in secrets)
        {
            var reference = KeyVaultReference().Match(value);
            Assert.True(reference.Success, $"{name} is a Key Vault reference, not a value: {value}");
            Assert.Contains(reference.Groups["secret"].Value, written);
        }

        // Older secret keys, named by a parameter, are references too.
        Assert.Matches(RetiredSecretKeySettings(), Api.Text);

        // The references resolve with the user-assigned identity, and secret values reach only the vault module.
        var site = Api.Block(@"module api 'br/public:avm/res/web/site:[^']+' =");
        Assert.Equal("identityId", BicepSource.Property(site, "keyVaultAccessIdentityResourceId"));
        Assert.DoesNotContain("@secure()", Api.Text, StringComparison.Ordinal);
        var vaultModule = Main.Block(@"module vault 'app/vault\.bicep' =");
        var secureParameters = SecureParameters().Matches(Main.Text).Select(m => m.Groups["name"].Value).ToList();
        Assert.Equal(["twilioAuthToken", "privacyPhoneKey", "webhookSecretKey"], secureParameters);
        var outsideTheVault = Main.Text.Replace(vaultModule, string.Empty, StringComparison.Ordinal);
        foreach (var secure in secureParameters)
        {
            Assert.Equal(secure, BicepSource.Property(vaultModule, secure));
            Assert.Equal(1, Regex.Count(outsideTheVault, $@"(?<![\w.]){secure}\b"));
        }
    }

    [Theory]
    [InlineData("WEBSITE_TIME_ZONE")]
    [InlineData("TZ")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("WEBSITE_CONTENTSHARE")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("linuxFxVersion")]
    [InlineData("ftpsState")]
    public void No_bicep_sets_what_flex_consumption_refuses_or_ignores(string setting)
    {
        // Timers run in UTC on Flex (WEBSITE_TIME_ZONE and TZ are unsupported); the runtime, version and package
        // come from functionAppConfig.
        foreach (var file in BicepSource.All())
        {
            Assert.DoesNotMatch($@"(?<![\w.]){setting}'?\s*:", file.Text);
            Assert.DoesNotMatch($@"name\s*:\s*'{setting}'", file.Text);
        }
    }

    /// <summary>
    /// (principal parameter, principal type, role definition id) of every role assignment in app/rbac.bicep, with
    /// <c>roles.x</c> and loops over <c>storageRoles</c> resolved to role ids.
    /// </summary>
    private static HashSet<(string Principal, string Type, string Role)> RoleAssignments()
    {
        var roleIds = Guids().Matches(Rbac.Block(@"var roles =")).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["id"].Value, StringComparer.Ordinal);
        var storageRoles = RoleReferences().Matches(StorageRolesDeclaration().Match(Rbac.Text).Value).Select(m => roleIds[m.Groups["name"].Value]).ToList();
        Assert.Equal([StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor], storageRoles);

        var granted = new HashSet<(string, string, string)>();
        foreach (Match resource in RoleAssignmentResource().Matches(Rbac.Text))
        {
            var body = Rbac.Block(Regex.Escape(resource.Value));
            var principal = BicepSource.Property(body, "principalId")!;
            var type = BicepSource.Property(body, "principalType")!.Trim('\'');
            var definition = RoleDefinition().Match(body).Groups["role"].Value;
            var roles = definition == "role" && LoopOverStorageRoles().IsMatch(body)
                ? storageRoles
                : definition.StartsWith("roles.", StringComparison.Ordinal) ? [roleIds[definition["roles.".Length..]]] : [];
            Assert.NotEmpty(roles);
            foreach (var role in roles)
            {
                granted.Add((principal, type, role));
            }
        }

        return granted;
    }

    private static string? YamlValue(string body, string key)
    {
        var match = Regex.Match(body, $@"^\s+{key}:\s*(?<value>\S+)\s*$", RegexOptions.Multiline);
        return match.Success ? match.Groups["value"].Value : null;
    }

    [GeneratedRegex(@"^services:\s*\n\s+\w+:\s*\n(?<body>(?:\s{4,}\S.*\n?)+)", RegexOptions.Multiline)]
    private static partial Regex YamlService();

    [GeneratedRegex(@"(?<name>\w+)\s*:\s*'(?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'")]
    private static partial Regex Guids();

    [GeneratedRegex(@"var storageRoles = concat\(.*?\n\)", RegexOptions.Singleline)]
    private static partial Regex StorageRolesDeclaration();

    [GeneratedRegex(@"roles\.(?<name>\w+)")]
    private static partial Regex RoleReferences();

    [GeneratedRegex(@"resource\s+\w+\s+'Microsoft\.Authorization/roleAssignments@[^']+'\s*=")]
    private static partial Regex RoleAssignmentResource();

    [GeneratedRegex(@"roleDefinitionId\s*:\s*subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions',\s*(?<role>[\w.]+)\)")]
    private static partial Regex RoleDefinition();

    [GeneratedRegex(@"^\s*for\s+role\s+in\s+(?:storageRoles|\(\w+\s*\?\s*storageRoles\s*:\s*\[\]\))\s*:")]
    private static partial Regex LoopOverStorageRoles();

    [GeneratedRegex(@"name\s*:\s*'(?<name>[a-z0-9-]+)(?:\$\{webhookSecretKeyId\})?'\s*\n\s*properties\s*:\s*\{\s*value\s*:")]
    private static partial Regex SecretNames();

    [GeneratedRegex(@"^'@Microsoft\.KeyVault\(SecretUri=\$\{secretUri\}(?<secret>[a-z0-9-]+)(?:\$\{\w+\})?\)'\z")]
    private static partial Regex KeyVaultReference();

    [GeneratedRegex(@"@secure\(\)\s*(?:@\w+\((?:'(?:[^'\\]|\\.)*'|[^)'])*\)\s*)*param\s+(?<name>\w+)")]
    private static partial Regex SecureParameters();

    [GeneratedRegex(@"toObject\(\s*retiredWebhookSecretKeyIds,\s*keyId => 'Aftercare__Privacy__SecretKeys__\$\{keyId\}',\s*keyId => '@Microsoft\.KeyVault\(SecretUri=\$\{secretUri\}webhook-secret-key-\$\{keyId\}\)'\s*\)")]
    private static partial Regex RetiredSecretKeySettings();
}
