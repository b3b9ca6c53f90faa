// Aftercare in Azure: a Linux Function App running the .NET 10 isolated worker, its storage (Functions host + Tables),
// Application Insights on a Log Analytics workspace, a Key Vault for the Twilio auth token and the privacy keys, one
// user-assigned managed identity with least-privilege role assignments, alert rules and an operations workbook.
//
//   az deployment group create -g <rg> -f infra/main.bicep -p twilioAccountSid=AC... twilioAuthToken=<token> \
//     privacyPhoneKey="$(openssl rand -base64 32)" webhookSecretKey="$(openssl rand -base64 32)"   # first deployment
//
// Every app setting below is one the app reads (see README "Configuration").

targetScope = 'resourceGroup'

@description('Short name used to derive resource names.')
@minLength(3)
@maxLength(11)
param name string = 'aftercare'

param location string = resourceGroup().location

@description('Twilio account SID (AC…). Leave empty to deploy without Twilio: texts are then only logged, masked.')
param twilioAccountSid string = ''

@secure()
@description('Twilio auth token, stored in Key Vault and read through a Key Vault reference.')
param twilioAuthToken string = ''

@description('Where operators are e-mailed when an alert fires.')
param alertEmail string = ''

@description('When the dispatch timer runs: six-field NCrontab in UTC (second minute hour day month weekday).')
param dispatchSchedule string = '0 */1 * * * *'

@description('When the clinic alert timer runs: six-field NCrontab in UTC. Every minute keeps an urgent alert within about a minute.')
param alertSchedule string = '0 */1 * * * *'

@secure()
@description('First deployment only: base64 of at least 32 random bytes, the HMAC key of every table key derived from a phone number. Stored in Key Vault; empty keeps the stored one. Never change it without re-keying (README, "Privacy at rest").')
param privacyPhoneKey string = ''

@description('Id (1-32 letters and digits) of the key new webhook secrets are sealed with.')
param webhookSecretKeyId string = 'k1'

@secure()
@description('Base64 of 32 random bytes: the AES-256-GCM key webhookSecretKeyId names, stored in Key Vault. Empty keeps the stored one.')
param webhookSecretKey string = ''

@description('Ids of older webhook secret keys, still in Key Vault, that sealed secrets until those are resealed (README, "Keys").')
param retiredWebhookSecretKeyIds array = []

@description('Days personal data is kept after a treatment\'s last message settled.')
@minValue(1)
@maxValue(3650)
param retentionDays int = 400

@description('When the retention timer runs: six-field NCrontab in UTC.')
param retentionSchedule string = '0 0 3 * * *'

var suffix = uniqueString(resourceGroup().id, name)
var storageName = toLower(take('${name}${suffix}', 24))
var appName = '${name}-${suffix}'
var tablePrefix = 'aftercare'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id-${suffix}'
  location: location
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: false
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  sku: { name: 'Standard_ZRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${name}-kv-${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

resource twilioTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(twilioAuthToken)) {
  parent: vault
  name: 'twilio-auth-token'
  properties: { value: twilioAuthToken }
}

// The privacy keys are written once; later deployments leave them empty and the vault keeps what it has.
resource phoneKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(privacyPhoneKey)) {
  parent: vault
  name: 'privacy-phone-key'
  properties: { value: privacyPhoneKey }
}

resource webhookSecretKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(webhookSecretKey)) {
  parent: vault
  name: 'webhook-secret-key-${webhookSecretKeyId}'
  properties: { value: webhookSecretKey }
}

// Role definitions (built-in ids).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource insightsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan-${suffix}'
  location: location
  sku: { name: 'Y1', tier: 'Dynamic' }
  kind: 'functionapp'
  properties: { reserved: true }
}

var vaultReference = '@Microsoft.KeyVault(VaultName=${vault.name};SecretName='

// Older secret keys stay configured (from the vault) until every secret they sealed has been resealed.
var retiredSecretKeySettings = [for keyId in retiredWebhookSecretKeyIds: {
  name: 'Aftercare__Privacy__SecretKeys__${keyId}'
  value: '${vaultReference}webhook-secret-key-${keyId})'
}]

var privacySettings = concat([
  { name: 'Aftercare__Privacy__PhoneKey', value: '${vaultReference}privacy-phone-key)' }
  { name: 'Aftercare__Privacy__SecretKeys__${webhookSecretKeyId}', value: '${vaultReference}webhook-secret-key-${webhookSecretKeyId})' }
  { name: 'Aftercare__Privacy__ActiveSecretKeyId', value: webhookSecretKeyId }
  { name: 'Aftercare__Privacy__RetentionDays', value: string(retentionDays) }
  { name: 'Aftercare__Privacy__RetentionSchedule', value: retentionSchedule }
], retiredSecretKeySettings)

var twilioSettings = empty(twilioAccountSid) ? [] : [
  { name: 'Aftercare__Twilio__AccountSid', value: twilioAccountSid }
  { name: 'Aftercare__Twilio__AuthToken', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=twilio-auth-token)' }
]

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'DOTNET-ISOLATED|10.0'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appSettings: concat([
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'dotnet-isolated' }
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        { name: 'Aftercare__Storage__TableEndpoint', value: storage.properties.primaryEndpoints.table }
        { name: 'Aftercare__Storage__ManagedIdentityClientId', value: identity.properties.clientId }
        { name: 'Aftercare__Storage__TablePrefix', value: tablePrefix }
        { name: 'Aftercare__PublicBaseUrl', value: 'https://${appName}.azurewebsites.net' }
        { name: 'Aftercare__Dispatch__Schedule', value: dispatchSchedule }
        { name: 'Aftercare__Alerts__Schedule', value: alertSchedule }
      ], privacySettings, twilioSettings)
    }
  }
  dependsOn: [storageRoles, vaultRole]
}

module monitoring 'monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: name
    location: location
    insightsId: insights.id
    workspaceId: workspace.id
    alertEmail: alertEmail
  }
}

output functionAppName string = app.name
output functionAppUrl string = 'https://${app.properties.defaultHostName}'
output applicationInsightsName string = insights.name
