// The Key Vault (Azure RBAC, no access policies) holding the Twilio auth token and the privacy keys. Each secret is
// written only when its secure parameter is given: later deployments leave them empty and the vault keeps its values,
// so `azd up` never needs the keys again after the first deployment. The app reads them through Key Vault references
// with its managed identity (Key Vault Secrets User, app/rbac.bicep).

param name string
param location string = resourceGroup().location
param tags object = {}

@secure()
param twilioAuthToken string = ''

@secure()
param privacyPhoneKey string = ''

param webhookSecretKeyId string

@secure()
param webhookSecretKey string = ''

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
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

output name string = vault.name
output uri string = vault.properties.vaultUri
