// The Flex Consumption Function App and every app setting it reads. Flex takes the runtime, scale and deployment
// package from functionAppConfig, so FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE,
// linuxFxVersion and the content share settings are absent on purpose, and so are WEBSITE_TIME_ZONE and TZ, which
// Flex does not support: every timer schedule is UTC ("Flex Consumption plan deprecations" and "Considerations",
// learn.microsoft.com/azure/azure-functions/functions-app-settings and flex-consumption-plan).

param name string
param location string = resourceGroup().location
param tags object = {}
param applicationInsightsName string
param appServicePlanId string
param runtimeName string
param runtimeVersion string
param serviceName string = 'api'
param storageAccountName string
param deploymentStorageContainerName string
param virtualNetworkSubnetId string = ''
param instanceMemoryMB int = 2048
param maximumInstanceCount int = 40
param alwaysReadyHttpInstances int = 0
param identityId string
param identityClientId string
param enableBlob bool = true
param enableQueue bool = true
param enableTable bool = true

@description('Key Vault URI (https://<name>.vault.azure.net/) the secret settings are Key Vault references into.')
param keyVaultUri string

param twilioAccountSid string = ''
// Twilio creates per second per instance (Aftercare__Twilio__MaxSendsPerSecond). At Twilio's usual 0.2 s answer,
// 40 instances (maximumInstanceCount) at 10 a second keep about 80 requests in flight, under the REST API concurrency
// Twilio allows an account by default (100; beyond it, 429 / error 20429).
@minValue(1)
@maxValue(1000)
param twilioMaxSendsPerSecond int = 10
param dispatchSchedule string
param alertSchedule string
param webhookSecretKeyId string
param retiredWebhookSecretKeyIds array = []
param retentionDays int
param retentionSchedule string

resource stg 'Microsoft.Storage/storageAccounts@2022-09-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// The host's own storage (timer leases, keys) through the identity: no connection string anywhere.
var hostStorageSettings = union(
  {
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
  },
  enableBlob ? { AzureWebJobsStorage__blobServiceUri: stg.properties.primaryEndpoints.blob } : {},
  enableQueue ? { AzureWebJobsStorage__queueServiceUri: stg.properties.primaryEndpoints.queue } : {},
  enableTable ? { AzureWebJobsStorage__tableServiceUri: stg.properties.primaryEndpoints.table } : {}
)

// Application Insights with local auth off accepts telemetry only from the identity (Monitoring Metrics Publisher).
var insightsSettings = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

// The default host name: Twilio's status callbacks and inbound webhooks are signed over URLs under it.
var publicBaseUrl = 'https://${name}.azurewebsites.net'

// Aftercare's own Tables, through the same identity (README "Configuration").
var aftercareSettings = {
  Aftercare__Storage__TableEndpoint: stg.properties.primaryEndpoints.table
  Aftercare__Storage__ManagedIdentityClientId: identityClientId
  Aftercare__Storage__TablePrefix: 'aftercare'
  Aftercare__PublicBaseUrl: publicBaseUrl
  Aftercare__Dispatch__Schedule: dispatchSchedule
  Aftercare__Alerts__Schedule: alertSchedule
}

// Secrets are Key Vault references (resolved by the platform with the identity, keyVaultReferenceIdentity below);
// the vault holds the values (app/vault.bicep). A version-less SecretUri follows the secret's latest version.
var secretUri = '${keyVaultUri}secrets/'

var privacySettings = union(
  {
    Aftercare__Privacy__PhoneKey: '@Microsoft.KeyVault(SecretUri=${secretUri}privacy-phone-key)'
    'Aftercare__Privacy__SecretKeys__${webhookSecretKeyId}': '@Microsoft.KeyVault(SecretUri=${secretUri}webhook-secret-key-${webhookSecretKeyId})'
    Aftercare__Privacy__ActiveSecretKeyId: webhookSecretKeyId
    Aftercare__Privacy__RetentionDays: string(retentionDays)
    Aftercare__Privacy__RetentionSchedule: retentionSchedule
  },
  // Older secret keys stay configured until every secret they sealed has been resealed (README "Keys").
  toObject(
    retiredWebhookSecretKeyIds,
    keyId => 'Aftercare__Privacy__SecretKeys__${keyId}',
    keyId => '@Microsoft.KeyVault(SecretUri=${secretUri}webhook-secret-key-${keyId})'
  )
)

var twilioSettings = empty(twilioAccountSid) ? {} : {
  Aftercare__Twilio__AccountSid: twilioAccountSid
  Aftercare__Twilio__AuthToken: '@Microsoft.KeyVault(SecretUri=${secretUri}twilio-auth-token)'
  Aftercare__Twilio__MaxSendsPerSecond: string(twilioMaxSendsPerSecond)
}

module api 'br/public:avm/res/web/site:0.15.1' = {
  name: '${serviceName}-flex-consumption'
  params: {
    kind: 'functionapp,linux'
    name: name
    location: location
    tags: union(tags, { 'azd-service-name': serviceName })
    serverFarmResourceId: appServicePlanId
    managedIdentities: {
      systemAssigned: false
      userAssignedResourceIds: [
        identityId
      ]
    }
    keyVaultAccessIdentityResourceId: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${stg.properties.primaryEndpoints.blob}${deploymentStorageContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        // 0 (the default) lets the HTTP group scale to zero; timers are never kept warm.
        alwaysReady: alwaysReadyHttpInstances > 0 ? [
          {
            name: 'http'
            instanceCount: alwaysReadyHttpInstances
          }
        ] : []
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
    siteConfig: {
      alwaysOn: false
      minTlsVersion: '1.2'
    }
    virtualNetworkSubnetId: !empty(virtualNetworkSubnetId) ? virtualNetworkSubnetId : null
    appSettingsKeyValuePairs: union(aftercareSettings, privacySettings, twilioSettings, hostStorageSettings, insightsSettings)
  }
}

output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = publicBaseUrl
