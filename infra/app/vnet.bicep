// The optional virtual network (main.bicep vnetEnabled): one subnet delegated to Microsoft.App/environments for the
// Flex Consumption app's outbound integration, one for the storage account's private endpoints.

param vNetName string
param location string = resourceGroup().location
param tags object = {}
param privateEndpointSubnetName string = 'private-endpoints'
param appSubnetName string = 'app'

module virtualNetwork 'br/public:avm/res/network/virtual-network:0.6.1' = {
  name: 'vnet-deployment'
  params: {
    name: vNetName
    location: location
    tags: tags
    addressPrefixes: ['10.0.0.0/16']
    subnets: [
      {
        name: privateEndpointSubnetName
        addressPrefix: '10.0.1.0/24'
        privateEndpointNetworkPolicies: 'Disabled'
        privateLinkServiceNetworkPolicies: 'Enabled'
      }
      {
        name: appSubnetName
        addressPrefix: '10.0.2.0/24'
        privateEndpointNetworkPolicies: 'Disabled'
        privateLinkServiceNetworkPolicies: 'Enabled'
        delegation: 'Microsoft.App/environments'
      }
    ]
  }
}

output peSubnetName string = privateEndpointSubnetName
output appSubnetID string = '${virtualNetwork.outputs.resourceId}/subnets/${appSubnetName}'
