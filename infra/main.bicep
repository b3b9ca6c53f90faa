// Aftercare in Azure, deployed by `azd up` (azure.yaml), in the shape of Azure-Samples/functions-quickstart-dotnet-azd:
// a Flex Consumption (FC1) Function App running the .NET 10 isolated worker, reached by one user-assigned managed
// identity for everything (host storage, Tables, the deployment container, Application Insights, Key Vault), a storage
// account with shared keys off, Application Insights with local auth off, a Key Vault (RBAC) holding the Twilio auth
// token and the privacy keys, alert rules and an operations workbook (monitoring.bicep), and an optional virtual network.
//
// Every Aftercare__* app setting below is one the app reads (README "Configuration"); ConfigurationDocsTests and
// InfrastructureTests hold the Bicep to that and to what Flex Consumption needs.

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; with the subscription and location it derives a unique token for resource names.')
param environmentName string

@minLength(1)
@description('Region of every resource; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Integrate the app with a new virtual network and reach storage through private endpoints only.')
param vnetEnabled bool = false

@description('Object id of the deploying user, given the same data roles as the app (to inspect tables and the deployment container). azd fills it; empty skips those assignments.')
param principalId string = deployer().objectId

@description('Largest number of instances the app scales out to (Flex Consumption: 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Instances of the HTTP trigger group kept warm (always ready, billed while idle). 0 scales to zero.')
@minValue(0)
param alwaysReadyHttpInstances int = 0

@description('Twilio account SID (AC…). Leave empty to deploy without Twilio: texts are then only logged, masked.')
param twilioAccountSid string = ''

@secure()
@description('Twilio auth token, stored in Key Vault and read through a Key Vault reference. Empty keeps the stored one.')
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

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-aftercare-${resourceToken}'
var deploymentStorageContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
var vNetName = 'vnet-${resourceToken}'

// Unlike the quickstart (blob only), this app needs all three: blob for the host (timer leases, keys) and the
// deployment package, queue for the host's identity-based AzureWebJobsStorage, table for Aftercare's own data.
var storageEndpointConfig = {
  enableBlob: true
  enableQueue: true
  enableTable: true
  allowUserIdentityPrincipal: true
}

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module apiUserAssignedIdentity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
  name: 'apiUserAssignedIdentity'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'id-aftercare-${resourceToken}'
  }
}

module appServicePlan 'br/public:avm/res/web/serverfarm:0.1.1' = {
  name: 'appserviceplan'
  scope: rg
  params: {
    name: 'plan-${resourceToken}'
    sku: {
      name: 'FC1'
      tier: 'FlexConsumption'
    }
    reserved: true
    location: location
    tags: tags
  }
}

module storage 'br/public:avm/res/storage/storage-account:0.8.3' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false // identity only: the app, the host and the deployment all use the managed identity
    dnsEndpointType: 'Standard'
    publicNetworkAccess: vnetEnabled ? 'Disabled' : 'Enabled'
    networkAcls: vnetEnabled ? {
      defaultAction: 'Deny'
      bypass: 'None'
    } : {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    blobServices: {
      containers: [{ name: deploymentStorageContainerName }]
    }
    minimumTlsVersion: 'TLS1_2'
    location: location
    tags: tags
  }
}

module logAnalytics 'br/public:avm/res/operational-insights/workspace:0.11.1' = {
  name: '${uniqueString(deployment().name, location)}-loganalytics'
  scope: rg
  params: {
    name: 'log-${resourceToken}'
    location: location
    tags: tags
    dataRetention: 30
  }
}

module monitoring 'br/public:avm/res/insights/component:0.6.0' = {
  name: '${uniqueString(deployment().name, location)}-appinsights'
  scope: rg
  params: {
    name: 'appi-${resourceToken}'
    location: location
    tags: tags
    workspaceResourceId: logAnalytics.outputs.resourceId
    disableLocalAuth: true // ingestion only with Entra ID: APPLICATIONINSIGHTS_AUTHENTICATION_STRING in app/api.bicep
  }
}

module vault 'app/vault.bicep' = {
  name: 'vault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    twilioAuthToken: twilioAuthToken
    privacyPhoneKey: privacyPhoneKey
    webhookSecretKeyId: webhookSecretKeyId
    webhookSecretKey: webhookSecretKey
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbacAssignments'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    appInsightsName: monitoring.outputs.name
    keyVaultName: vault.outputs.name
    managedIdentityPrincipalId: apiUserAssignedIdentity.outputs.principalId
    userIdentityPrincipalId: principalId
    enableBlob: storageEndpointConfig.enableBlob
    enableQueue: storageEndpointConfig.enableQueue
    enableTable: storageEndpointConfig.enableTable
    allowUserIdentityPrincipal: storageEndpointConfig.allowUserIdentityPrincipal
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    applicationInsightsName: monitoring.outputs.name
    appServicePlanId: appServicePlan.outputs.resourceId
    runtimeName: 'dotnet-isolated'
    runtimeVersion: '10.0'
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    storageAccountName: storage.outputs.name
    enableBlob: storageEndpointConfig.enableBlob
    enableQueue: storageEndpointConfig.enableQueue
    enableTable: storageEndpointConfig.enableTable
    deploymentStorageContainerName: deploymentStorageContainerName
    identityId: apiUserAssignedIdentity.outputs.resourceId
    identityClientId: apiUserAssignedIdentity.outputs.clientId
    keyVaultUri: vault.outputs.uri
    twilioAccountSid: twilioAccountSid
    dispatchSchedule: dispatchSchedule
    alertSchedule: alertSchedule
    webhookSecretKeyId: webhookSecretKeyId
    retiredWebhookSecretKeyIds: retiredWebhookSecretKeyIds
    retentionDays: retentionDays
    retentionSchedule: retentionSchedule
    virtualNetworkSubnetId: vnetEnabled ? serviceVirtualNetwork.outputs.appSubnetID : ''
  }
  // The app starts reading storage, Tables and Key Vault references as soon as it exists.
  dependsOn: [rbac]
}

module serviceVirtualNetwork 'app/vnet.bicep' = if (vnetEnabled) {
  name: 'serviceVirtualNetwork'
  scope: rg
  params: {
    location: location
    tags: tags
    vNetName: vNetName
  }
}

module storagePrivateEndpoint 'app/storage-PrivateEndpoint.bicep' = if (vnetEnabled) {
  name: 'servicePrivateEndpoint'
  scope: rg
  params: {
    location: location
    tags: tags
    virtualNetworkName: vNetName
    subnetName: vnetEnabled ? serviceVirtualNetwork.outputs.peSubnetName : ''
    resourceName: storage.outputs.name
    enableBlob: storageEndpointConfig.enableBlob
    enableQueue: storageEndpointConfig.enableQueue
    enableTable: storageEndpointConfig.enableTable
  }
}

module alerts 'monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    name: 'aftercare'
    location: location
    insightsId: monitoring.outputs.resourceId
    workspaceId: logAnalytics.outputs.resourceId
    alertEmail: alertEmail
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = api.outputs.SERVICE_API_NAME
output AZURE_FUNCTION_NAME string = api.outputs.SERVICE_API_NAME
output AZURE_FUNCTION_URL string = api.outputs.SERVICE_API_URI
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.name
