import { Module } from '@nestjs/common';
import { CreateHubSpotDealTool } from './create-hubspot-deal.tool.js';
import { HubSpotConnector } from './hubspot.connector.js';

/** HubSpot's CRM API and the create_hubspot_deal tool. */
@Module({
  providers: [HubSpotConnector, CreateHubSpotDealTool],
  exports: [HubSpotConnector],
})
export class HubSpotConnectorModule {}
