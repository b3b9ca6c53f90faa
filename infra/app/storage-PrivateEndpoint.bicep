// Private endpoints, each with its private DNS zone linked to the virtual network, for every storage service the app
// uses (blob, queue and table: the host and Aftercare's Tables), when the storage account refuses public traffic.

param virtualNetworkName string
param subnetName string
@description('Name of the storage account.')
param resourceName string
param location string = resourceGroup().location
param tags object = {}
param enableBlob bool = true
param enableQueue bool = true
param enableTable bool = true

var services = concat(enableBlob ? ['blob'] : [], enableQueue ? ['queue'] : [], enableTable ? ['table'] : [])

resource vnet 'Microsoft.Network/virtualNetworks@2021-08-01' existing = {
  name: virtualNetworkName
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2021-09-01' existing = {
  name: resourceName
}

module privateDnsZones 'br/public:avm/res/network/private-dns-zone:0.7.1' = [for service in services: {
  name: '${service}-private-dns-zone-deployment'
  params: {
    name: 'privatelink.${service}.${environment().suffixes.storage}'
    location: 'global'
    tags: tags
    virtualNetworkLinks: [
      {
        name: '${resourceName}-${service}-link'
        virtualNetworkResourceId: vnet.id
        registrationEnabled: false
        location: 'global'
        tags: tags
      }
    ]
  }
}]

module privateEndpoints 'br/public:avm/res/network/private-endpoint:0.11.0' = [for (service, i) in services: {
  name: '${service}-private-endpoint-deployment'
  params: {
    name: '${service}-private-endpoint'
    location: location
    tags: tags
    subnetResourceId: '${vnet.id}/subnets/${subnetName}'
    privateLinkServiceConnections: [
      {
        name: '${service}PrivateLinkConnection'
        properties: {
          privateLinkServiceId: storageAccount.id
          groupIds: [service]
        }
      }
    ]
    customDnsConfigs: []
    privateDnsZoneGroup: {
      name: '${service}PrivateDnsZoneGroup'
      privateDnsZoneGroupConfigs: [
        {
          name: '${service}ARecord'
          privateDnsZoneResourceId: privateDnsZones[i].outputs.resourceId
        }
      ]
    }
  }
}]
